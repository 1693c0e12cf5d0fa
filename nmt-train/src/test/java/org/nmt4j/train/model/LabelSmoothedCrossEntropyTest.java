package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nmt4j.core.model.VectorApi;

class LabelSmoothedCrossEntropyTest {

    private static final ActivationSoftmax SOFTMAX = new ActivationSoftmax();
    private static final int ROWS = 5;
    private static final int CLASSES = 7;
    private static final int[] LABELS = {3, 0, 6, 6, 1};
    private static final double[] MASK = {1, 1, 0, 1, 1};

    private static INDArray logits(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, ROWS, CLASSES).muli(3);
    }

    private static INDArray labels() {
        return Nd4j.createFromArray(LABELS).castTo(DataType.DOUBLE).reshape(ROWS, 1);
    }

    private static INDArray mask() {
        return Nd4j.createFromArray(MASK).reshape(ROWS, 1);
    }

    /** Softmax of one row, by the definition. */
    private static double[] probabilities(INDArray logits, int row) {
        double[] p = new double[CLASSES];
        double sum = 0;
        for (int j = 0; j < CLASSES; j++) {
            p[j] = Math.exp(logits.getDouble(row, j));
            sum += p[j];
        }
        for (int j = 0; j < CLASSES; j++) {
            p[j] /= sum;
        }
        return p;
    }

    private static double target(double smoothing, int row, int j) {
        return (j == LABELS[row] ? 1 - smoothing : 0) + smoothing / CLASSES;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.1, 0.5})
    void lossAndGradientFollowTheDefinition(double smoothing) {
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(smoothing);
        INDArray logits = logits(1);
        double expectedSum = 0;
        INDArray expectedGradient = Nd4j.zeros(DataType.DOUBLE, ROWS, CLASSES);
        INDArray scores = loss.computeScoreArray(labels(), logits, SOFTMAX, mask());
        for (int row = 0; row < ROWS; row++) {
            double[] p = probabilities(logits, row);
            double rowLoss = 0;
            for (int j = 0; j < CLASSES; j++) {
                rowLoss -= target(smoothing, row, j) * Math.log(p[j]);
                expectedGradient.putScalar(row, j, MASK[row] * (p[j] - target(smoothing, row, j)));
            }
            assertEquals(MASK[row] * rowLoss, scores.getDouble(row, 0), 1e-12, "row " + row);
            expectedSum += MASK[row] * rowLoss;
        }
        assertEquals(expectedSum, loss.computeScore(labels(), logits, SOFTMAX, mask(), false), 1e-12);
        assertEquals(expectedSum / 4, loss.computeScore(labels(), logits, SOFTMAX, mask(), true), 1e-12);
        LabelSmoothedCrossEntropy.LossAndGradient both = loss.lossAndGradient(labels(), logits, SOFTMAX, mask());
        assertEquals(expectedSum, both.loss(), 1e-12);
        assertEquals(0, expectedGradient.sub(both.gradient()).amaxNumber().doubleValue(), 1e-12);
        assertEquals(expectedGradient, loss.computeGradient(labels(), logits, SOFTMAX, mask()));
        assertEquals(expectedSum / 4,
                loss.computeGradientAndScore(labels(), logits, SOFTMAX, mask(), true).getFirst(), 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.1);
        INDArray logits = logits(2);
        INDArray gradient = loss.computeGradient(labels(), logits, SOFTMAX, mask());
        double h = 1e-6;
        for (int row = 0; row < ROWS; row++) {
            for (int j = 0; j < CLASSES; j++) {
                INDArray plus = logits.dup();
                plus.putScalar(row, j, logits.getDouble(row, j) + h);
                INDArray minus = logits.dup();
                minus.putScalar(row, j, logits.getDouble(row, j) - h);
                double numeric = (loss.computeScore(labels(), plus, SOFTMAX, mask(), false)
                        - loss.computeScore(labels(), minus, SOFTMAX, mask(), false)) / (2 * h);
                assertEquals(numeric, gradient.getDouble(row, j), 1e-7, "row " + row + ", class " + j);
            }
        }
    }

    @Test
    void withoutSmoothingEqualsDl4jsCrossEntropyOnOneHotLabels() {
        INDArray logits = logits(3);
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, ROWS, CLASSES);
        for (int row = 0; row < ROWS; row++) {
            oneHot.putScalar(row, LABELS[row], 1.0);
        }
        LabelSmoothedCrossEntropy ours = new LabelSmoothedCrossEntropy(0.0);
        LossMCXENT dl4j = new LossMCXENT();
        assertEquals(dl4j.computeScore(oneHot, logits, SOFTMAX, mask(), false),
                ours.computeScore(labels(), logits, SOFTMAX, mask(), false), 1e-12);
        INDArray expected = dl4j.computeGradient(oneHot, logits, SOFTMAX, mask());
        assertEquals(0, expected.sub(ours.computeGradient(labels(), logits, SOFTMAX, mask())).amaxNumber()
                .doubleValue(), 1e-12);
    }

    /**
     * Float goes through {@link VectorSmoothedCrossEntropy} (Java's Vector API): the same losses and gradients as
     * double (ND4J operations) to float rounding, for rows shorter than a vector, a vector and a tail, and a
     * vocabulary's size, and for logits in C and F order (the latter copied first).
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.1})
    void floatOnTheVectorApiMatchesDouble(double smoothing) {
        assertTrue(VectorApi.enabled(), "the tests run with --add-modules jdk.incubator.vector (root pom.xml)");
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(smoothing);
        for (int classes : new int[] {7, 37, 8000}) {
            Nd4j.getRandom().setSeed(classes);
            INDArray logits = Nd4j.randn(DataType.DOUBLE, ROWS, classes).muli(4);
            INDArray labels = Nd4j.createFromArray(new double[] {3, 0, 6, 6, 1}).reshape(ROWS, 1);
            INDArray expected = loss.computeScoreArray(labels, logits, SOFTMAX, mask());
            INDArray expectedGradient = loss.computeGradient(labels, logits, SOFTMAX, mask());
            for (char order : new char[] {'c', 'f'}) {
                INDArray floatLogits = logits.castTo(DataType.FLOAT).dup(order);
                INDArray floatLabels = labels.castTo(DataType.FLOAT);
                INDArray scores = loss.computeScoreArray(floatLabels, floatLogits, SOFTMAX, mask());
                for (int row = 0; row < ROWS; row++) {
                    assertEquals(expected.getDouble(row, 0), scores.getDouble(row, 0),
                            1e-5 * Math.max(1, Math.abs(expected.getDouble(row, 0))), classes + " classes, row " + row);
                }
                INDArray gradient = loss.computeGradient(floatLabels, floatLogits, SOFTMAX, mask());
                assertEquals(0, expectedGradient.sub(gradient.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(),
                        1e-6, classes + " classes, order " + order);
            }
        }
    }

    @Test
    void rowsSharedBetweenTheCoresGiveTheLossesOfDouble() {
        int rows = 1000; // several parts of RowParts.MIN_ROWS rows on any machine with more than one core
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.1);
        Nd4j.getRandom().setSeed(11);
        INDArray logits = Nd4j.randn(DataType.DOUBLE, rows, 37).muli(4);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, rows, 1).muli(37).castTo(DataType.INT32).castTo(DataType.DOUBLE);
        INDArray mask = Nd4j.rand(DataType.DOUBLE, rows, 1).gt(0.1).castTo(DataType.DOUBLE);
        INDArray expected = loss.computeScoreArray(labels, logits, SOFTMAX, mask);
        INDArray expectedGradient = loss.computeGradient(labels, logits, SOFTMAX, mask);
        INDArray floatLogits = logits.castTo(DataType.FLOAT);
        INDArray floatLabels = labels.castTo(DataType.FLOAT);
        INDArray floatMask = mask.castTo(DataType.FLOAT);
        INDArray scores = loss.computeScoreArray(floatLabels, floatLogits, SOFTMAX, floatMask);
        for (int row = 0; row < rows; row++) {
            assertEquals(expected.getDouble(row, 0), scores.getDouble(row, 0),
                    1e-5 * Math.max(1, Math.abs(expected.getDouble(row, 0))), "row " + row);
        }
        INDArray gradient = loss.computeGradient(floatLabels, floatLogits, SOFTMAX, floatMask);
        assertEquals(0, expectedGradient.sub(gradient.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void largeFloatLogitsStayFinite() {
        INDArray logits = logits(4).castTo(DataType.FLOAT).muli(1000);
        LabelSmoothedCrossEntropy.LossAndGradient result = new LabelSmoothedCrossEntropy(0.1)
                .lossAndGradient(labels().castTo(DataType.FLOAT), logits, SOFTMAX, null);
        assertTrue(Double.isFinite(result.loss()) && result.loss() > 0, "loss " + result.loss());
        for (double g : result.gradient().data().asDouble()) {
            assertTrue(Double.isFinite(g), "gradient " + g);
        }
    }

    @Test
    void refusesBadLabelsAndSettings() {
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.1);
        INDArray logits = logits(5);
        assertThrows(IllegalArgumentException.class,
                () -> loss.computeScore(Nd4j.zeros(DataType.DOUBLE, ROWS, 2), logits, SOFTMAX, null, false));
        INDArray outOfRange = labels().dup();
        outOfRange.putScalar(1, 0, CLASSES);
        assertThrows(IllegalArgumentException.class,
                () -> loss.computeGradient(outOfRange, logits, SOFTMAX, null));
        assertThrows(IllegalArgumentException.class, () -> new LabelSmoothedCrossEntropy(1.0));
        assertThrows(IllegalArgumentException.class, () -> new LabelSmoothedCrossEntropy(-0.1));
    }
}

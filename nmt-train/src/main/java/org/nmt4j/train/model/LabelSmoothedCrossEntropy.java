package org.nmt4j.train.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nmt4j.core.model.NativeFloats;
import org.nmt4j.core.model.VectorApi;

/**
 * Label-smoothed cross-entropy over a softmax output, with the labels given as class indices ({@code [rows, 1]},
 * as DL4J's RNN output layer passes {@code [batch, 1, time]} labels): the target distribution is
 * {@code (1 - ε)·onehot(y) + ε / V}. Scores are <em>sums</em> over the unmasked rows (tokens); the trainer
 * divides by the token count, so padding never counts.
 */
public final class LabelSmoothedCrossEntropy implements ILossFunction {

    @JsonProperty("smoothing")
    private double smoothing;

    /** For JSON deserialization. */
    public LabelSmoothedCrossEntropy() {
        this(0.0);
    }

    /** @param smoothing ε in [0, 1) */
    public LabelSmoothedCrossEntropy(@JsonProperty("smoothing") double smoothing) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    public double getSmoothing() {
        return smoothing;
    }

    private static void checkActivation(IActivation activation) {
        if (!(activation instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("LabelSmoothedCrossEntropy needs a softmax output, got " + activation);
        }
    }

    /** The class indices of labels {@code [rows, 1]}. */
    private static int[] classIndices(INDArray labels, long classes) {
        if (labels.rank() != 2 || labels.size(1) != 1) {
            throw new IllegalArgumentException("labels must be class indices of shape [rows, 1], got "
                    + java.util.Arrays.toString(labels.shape()));
        }
        int[] indices = labels.reshape(labels.length()).toIntVector();
        for (int index : indices) {
            if (index < 0 || index >= classes) {
                throw new IllegalArgumentException("label " + index + " outside the " + classes + " classes");
            }
        }
        return indices;
    }

    /** The row mask's values, or null without a mask. */
    private static double[] rowWeights(INDArray mask) {
        return mask == null ? null : mask.reshape(mask.length()).toDoubleVector();
    }

    /** The summed loss divided by the number of unmasked rows when {@code average}; 0 when there are none. */
    private static double averaged(double sum, INDArray preOutput, INDArray mask, boolean average) {
        if (!average) {
            return sum;
        }
        double rows = mask == null ? preOutput.size(0) : mask.sumNumber().doubleValue();
        return rows == 0 ? 0 : sum / rows;
    }

    /** The loss of each row and the gradient with respect to the logits, both times the row mask. */
    private record RowLossesAndGradient(double[] rowLosses, INDArray gradient) {
    }

    /**
     * In float with Java's Vector API, {@link VectorSmoothedCrossEntropy}; otherwise ND4J operations: the
     * {@link #softmax}, then {@code softmax - targets} on the unmasked rows and zero on the others.
     */
    private RowLossesAndGradient rowLossesAndGradient(INDArray preOutput, int[] labels, INDArray mask) {
        int rows = labels.length;
        int classes = Math.toIntExact(preOutput.size(1));
        double[] weights = rowWeights(mask);
        if (preOutput.dataType() == DataType.FLOAT && VectorApi.enabled()) {
            INDArray gradient = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, classes}, 'c');
            double[] losses = VectorSmoothedCrossEntropy.lossesAndGradient(NativeFloats.read(preOutput),
                    NativeFloats.of(gradient), rows, classes, labels, weights, smoothing);
            return new RowLossesAndGradient(losses, gradient);
        }
        Softmax softmax = softmax(preOutput, labels);
        INDArray gradient = softmax.probabilities();
        if (smoothing > 0) {
            gradient.subi(smoothing / classes);
        }
        for (int row = 0; row < rows; row++) {
            gradient.putScalar(row, labels[row], gradient.getDouble(row, labels[row]) - (1 - smoothing));
        }
        if (mask != null) {
            gradient.muliColumnVector(mask.reshape(rows, 1).castTo(gradient.dataType()));
        }
        double[] losses = softmax.rowLosses();
        for (int row = 0; weights != null && row < rows; row++) {
            losses[row] *= weights[row];
        }
        return new RowLossesAndGradient(losses, gradient);
    }

    /** Softmax probabilities {@code [rows, V]} and the (unmasked) loss of each row. */
    private record Softmax(INDArray probabilities, double[] rowLosses) {
    }

    /**
     * Softmax of the logits shifted by their row maximum {@code m} (stable for any range), and per row the loss
     * {@code -(1 - ε) log p(y) - (ε / V) Σ_j log p(j)}, the cross-entropy against the smoothed targets, from
     * {@code log p(j) = s_j - log Σ_k exp(s_k)} with {@code s = logits - m}: no log-probability matrix.
     */
    private Softmax softmax(INDArray logits, int[] labels) {
        long classes = logits.size(1);
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        double[] shiftedSums = shifted.sum(1).toDoubleVector();
        double[] shiftedLabels = new double[labels.length];
        for (int row = 0; row < labels.length; row++) {
            shiftedLabels[row] = shifted.getDouble(row, labels[row]);
        }
        INDArray probabilities = Transforms.exp(shifted, false);
        INDArray sums = probabilities.sum(true, 1);
        double[] logSums = Transforms.log(sums, true).toDoubleVector();
        probabilities.diviColumnVector(sums);
        double[] losses = new double[labels.length];
        for (int row = 0; row < labels.length; row++) {
            losses[row] = -(1 - smoothing) * (shiftedLabels[row] - logSums[row])
                    - smoothing / classes * (shiftedSums[row] - classes * logSums[row]);
        }
        return new Softmax(probabilities, losses);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkActivation(activationFn);
        double[] losses = rowLossesAndGradient(preOutput, classIndices(labels, preOutput.size(1)), mask).rowLosses();
        return Nd4j.createFromArray(losses).reshape(losses.length, 1).castTo(preOutput.dataType());
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return averaged(sum, preOutput, mask, average);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return lossAndGradient(labels, preOutput, activationFn, mask).gradient();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        LossAndGradient result = lossAndGradient(labels, preOutput, activationFn, mask);
        return new Pair<>(averaged(result.loss(), preOutput, mask, average), result.gradient());
    }

    /** The summed loss over the unmasked rows and its gradient with respect to the logits. */
    public record LossAndGradient(double loss, INDArray gradient) {
    }

    /**
     * {@link #computeScore} (not averaged) and {@link #computeGradient} from one softmax of the logits:
     * {@code softmax - targets} on the unmasked rows, zero on the others.
     */
    public LossAndGradient lossAndGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                                           INDArray mask) {
        checkActivation(activationFn);
        RowLossesAndGradient result = rowLossesAndGradient(preOutput, classIndices(labels, preOutput.size(1)),
                mask);
        double loss = 0;
        for (double rowLoss : result.rowLosses()) {
            loss += rowLoss;
        }
        return new LossAndGradient(loss, result.gradient());
    }

    @Override
    public String name() {
        return "LabelSmoothedCrossEntropy(" + smoothing + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSmoothedCrossEntropy other && other.smoothing == smoothing;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(smoothing);
    }

    @Override
    public String toString() {
        return name();
    }
}

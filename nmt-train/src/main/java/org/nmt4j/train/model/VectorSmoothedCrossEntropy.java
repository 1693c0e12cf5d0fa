package org.nmt4j.train.model;

import static org.nmt4j.core.model.FloatVectors.DOUBLES;
import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.addInDouble;
import static org.nmt4j.core.model.FloatVectors.load;

import java.nio.FloatBuffer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link LabelSmoothedCrossEntropy}'s loss and gradient in float on Java's Vector API, one row of logits at a time
 * in a Java array: maximum, {@code exp} (vectorized) with the sums in double, then the gradient
 * {@code m (softmax - ε/V - (1 - ε) onehot(y))} for the row mask {@code m}, in three passes over the row instead of
 * about ten ND4J operations over the whole matrix; the rows are shared between the cores ({@link RowParts}).
 * Loaded only where nmt-core's {@code VectorApi} is enabled.
 */
final class VectorSmoothedCrossEntropy {

    private VectorSmoothedCrossEntropy() {
    }

    /**
     * Fills {@code gradient} (C order, like {@code logits}) and returns the loss of each row,
     * {@code -(1 - ε) log p(y) - (ε / V) Σ_j log p(j)}, times the row's mask weight.
     *
     * @param mask one weight per row, or null for all ones
     */
    static double[] lossesAndGradient(FloatBuffer logits, FloatBuffer gradient, int rows, int classes, int[] labels,
                                      double[] mask, double smoothing) {
        double[] losses = new double[rows];
        RowParts.forEach(rows, (part, from, to) -> rowRange(logits, gradient, from, to, classes, labels, mask,
                smoothing, losses));
        return losses;
    }

    /** Rows {@code [from, to)} of {@link #lossesAndGradient}, their losses into {@code losses}. */
    private static void rowRange(FloatBuffer logits, FloatBuffer gradient, int from, int to, int classes,
                                 int[] labels, double[] mask, double smoothing, double[] losses) {
        float[] row = new float[classes];
        int vectorEnd = FLOATS.loopBound(classes);
        for (int r = from; r < to; r++) {
            logits.get(r * classes, row, 0, classes);
            FloatVector maxima = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
            DoubleVector sums = DoubleVector.zero(DOUBLES);
            for (int i = 0; i < vectorEnd; i += FLOATS.length()) {
                FloatVector values = load(row, i);
                maxima = maxima.max(values);
                sums = addInDouble(sums, values);
            }
            float max = maxima.reduceLanes(VectorOperators.MAX);
            double sum = sums.reduceLanes(VectorOperators.ADD);
            for (int i = vectorEnd; i < classes; i++) {
                max = Math.max(max, row[i]);
                sum += row[i];
            }
            double shiftedSum = sum - (double) classes * max;
            double shiftedLabel = (double) row[labels[r]] - max;

            DoubleVector exponentialSums = DoubleVector.zero(DOUBLES);
            for (int i = 0; i < vectorEnd; i += FLOATS.length()) {
                FloatVector exponentials = load(row, i).sub(max)
                        .lanewise(VectorOperators.EXP);
                exponentials.intoArray(row, i);
                exponentialSums = addInDouble(exponentialSums, exponentials);
            }
            double exponentialSum = exponentialSums.reduceLanes(VectorOperators.ADD);
            for (int i = vectorEnd; i < classes; i++) {
                row[i] = (float) Math.exp((double) row[i] - max);
                exponentialSum += row[i];
            }
            double logSum = Math.log(exponentialSum);
            double weight = mask == null ? 1 : mask[r];
            losses[r] = weight * (-(1 - smoothing) * (shiftedLabel - logSum) - smoothing / classes * (shiftedSum
                    - classes * logSum));

            float scale = (float) (weight / exponentialSum);
            float offset = (float) (-smoothing / classes * weight);
            for (int i = 0; i < vectorEnd; i += FLOATS.length()) {
                load(row, i).fma(scale, offset).intoArray(row, i);
            }
            for (int i = vectorEnd; i < classes; i++) {
                row[i] = row[i] * scale + offset;
            }
            row[labels[r]] -= (float) ((1 - smoothing) * weight);
            gradient.put(r * classes, row, 0, classes);
        }
    }
}

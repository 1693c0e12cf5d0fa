package org.nmt4j.attention.nd4j;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.attention.AttentionNormalizer;
import org.nmt4j.attention.AttentionScores;

/**
 * Runs an {@link AttentionNormalizer} on ND4J arrays: scores {@code [batch, queries, keys]} with a
 * right-padded key mask {@code [batch, keys]} (1 = real position), giving weights of the same shape and an
 * exact backward. The DP work happens in Java on double precision; nothing is autodiffed.
 */
public final class NdAttention {

    private final AttentionNormalizer normalizer;

    public NdAttention(AttentionNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    public AttentionNormalizer normalizer() {
        return normalizer;
    }

    /** Per-example key lengths from a {@code [batch, keys]} 0/1 mask (all {@code keys} when the mask is null). */
    public static int[] lengths(INDArray keyMask, int batch, int keys) {
        int[] lengths = new int[batch];
        if (keyMask == null) {
            Arrays.fill(lengths, keys);
            return lengths;
        }
        if (keyMask.rank() != 2 || keyMask.size(0) != batch || keyMask.size(1) != keys) {
            throw new IllegalArgumentException("key mask has shape " + Arrays.toString(keyMask.shape())
                    + ", expected [" + batch + ", " + keys + "]");
        }
        double[] mask = keyMask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int b = 0; b < batch; b++) {
            int length = 0;
            for (int s = 0; s < keys; s++) {
                double m = mask[b * keys + s];
                if (m != 0 && m != 1) {
                    throw new IllegalArgumentException("key mask must hold 0 or 1, found " + m);
                }
                if (m == 1) {
                    if (length != s) {
                        throw new IllegalArgumentException("key mask of example " + b
                                + " is not right-padded (a 1 follows a 0 at position " + s + ")");
                    }
                    length++;
                }
            }
            lengths[b] = length;
        }
        return lengths;
    }

    /** The weights of one forward pass with what its backward needs. */
    public static final class Forward {
        private final AttentionNormalizer.Forward inner;
        private final long[] shape;
        private final DataType dataType;
        private final int parameterCount;

        private Forward(AttentionNormalizer.Forward inner, long[] shape, DataType dataType, int parameterCount) {
            this.inner = inner;
            this.shape = shape;
            this.dataType = dataType;
            this.parameterCount = parameterCount;
        }

        /** Weights {@code [batch, queries, keys]}, zero on masked keys, in the scores' data type. */
        public INDArray weights() {
            return Nd4j.create(inner.weights(), shape, 'c').castTo(dataType);
        }

        /** The backward pass: {@code dL/dscores} (shape of the scores) and {@code dL/dparameters}. */
        public Gradients backward(INDArray weightGradient) {
            if (!Arrays.equals(weightGradient.shape(), shape)) {
                throw new IllegalArgumentException("weight gradient has shape "
                        + Arrays.toString(weightGradient.shape()) + ", expected "
                        + Arrays.toString(shape));
            }
            double[] upstream = weightGradient.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] scoreGradient = new double[upstream.length];
            double[] parameterGradient = new double[parameterCount];
            inner.backward(upstream, scoreGradient, parameterGradient);
            return new Gradients(Nd4j.create(scoreGradient, shape, 'c').castTo(dataType), parameterGradient);
        }
    }

    /**
     * Gradients of the loss with respect to the scores and to the normalizer's parameters.
     *
     * @param scores     {@code dL/dscores}, shaped like the scores
     * @param parameters {@code dL/dparameters}, length {@link AttentionNormalizer#parameterCount()}
     */
    public record Gradients(INDArray scores, double[] parameters) {
    }

    /**
     * Normalizes {@code scores [batch, queries, keys]}; every query of example b attends over its first
     * {@code lengths[b]} keys.
     */
    public Forward forward(INDArray scores, int[] lengths, double[] parameters) {
        if (scores.rank() != 3) {
            throw new IllegalArgumentException("scores must be [batch, queries, keys], got shape "
                    + Arrays.toString(scores.shape()));
        }
        int batch = (int) scores.size(0);
        int queries = (int) scores.size(1);
        int keys = (int) scores.size(2);
        if (lengths.length != batch) {
            throw new IllegalArgumentException(lengths.length + " key lengths for a batch of " + batch);
        }
        int[] rowLengths = new int[batch * queries];
        for (int b = 0; b < batch; b++) {
            Arrays.fill(rowLengths, b * queries, (b + 1) * queries, lengths[b]);
        }
        double[] values = scores.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        AttentionScores flat = new AttentionScores(values, batch * queries, keys, rowLengths);
        return new Forward(normalizer.forward(flat, parameters), scores.shape(), scores.dataType(),
                normalizer.parameterCount());
    }
}

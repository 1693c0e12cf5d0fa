package org.nmt4j.attention;

/**
 * Turns attention scores into weights over key positions, honouring each row's length, with an exact
 * backward (vector-Jacobian product). Some normalizers own a few parameters (the structured ones:
 * 2×2 transition scores), which the caller stores and trains.
 */
public interface AttentionNormalizer {

    /** The name it is chosen by: softmax, sparsemax, struct-entropy or struct-l2. */
    String name();

    /** How many parameters {@link #forward} takes (0 for softmax and sparsemax). */
    int parameterCount();

    /** Parameter values to start training from. */
    double[] initialParameters();

    /** Computes the weights of every row; padded positions get weight exactly 0. */
    Forward forward(AttentionScores scores, double[] parameters);

    /** The weights of one forward pass, with what its backward needs. */
    interface Forward {

        /** Weights, flat {@code [rows][maxLength]}, zero on padding. */
        double[] weights();

        /**
         * Back-propagates {@code dL/dweights} (flat {@code [rows][maxLength]}; padding ignored): writes
         * {@code dL/dscores} into {@code scoreGradient} (zero on padding) and adds {@code dL/dparameters}
         * into {@code parameterGradient} (length {@link #parameterCount()}).
         */
        void backward(double[] weightGradient, double[] scoreGradient, double[] parameterGradient);
    }
}

package org.nmt4j.attention.dp;

/**
 * The forward of a {@link TwoStateChain} with squared L2, in units of γ and without a division or a branch on the
 * dependency chain from one position to the next. With {@code W = (v_{t-1}[1] - v_{t-1}[0])/γ}, {@code A' = A/γ}
 * and the two-entry sparsemax ({@link SquaredL2Max#max2}), state i takes from the previous state 0 the weight
 * <pre>
 *   Q[t][i][0] = clamp((1 + A'[i][0] - A'[i][1] - W)/2, 0, 1)
 * </pre>
 * and, leaving out the constant {@code -1/2} common to both states, the value
 * {@code n_i = q A'[i][0] + (1 - q)(A'[i][1] + W + q)} with {@code q = Q[t][i][0]}, so that
 * {@code W_t = s_t/γ + n_1 - n_0}, {@code W_0 = s_0/γ}. Outside the support the weights are exactly 0 or 1 and
 * {@code n_i} is exactly {@code A'[i][0]} or {@code A'[i][1] + W}: no cancellation, however large |W| gets.
 */
final class SquaredL2Recursion {

    private final double gamma;
    private final double[] scaled;
    private final double offset0;
    private final double offset1;

    SquaredL2Recursion(double[] a, double gamma) {
        this.gamma = gamma;
        this.scaled = new double[4];
        for (int k = 0; k < 4; k++) {
            scaled[k] = a[k] / gamma;
        }
        this.offset0 = 0.5 * (1 + (scaled[0] - scaled[1]));
        this.offset1 = 0.5 * (1 + (scaled[2] - scaled[3]));
    }

    /**
     * Writes the local weights of the row of {@code length} scores at {@code base} into q ({@code Q[t][0][0],
     * Q[t][1][0]} at {@code 2(base + t)}) and its terminal weight of state 0 into {@code terminal[r]}.
     */
    void run(double[] scores, int base, int length, double[] q, double[] terminal, int r) {
        double a00 = scaled[0];
        double a01 = scaled[1];
        double a10 = scaled[2];
        double a11 = scaled[3];
        int p = 2 * base;
        // Step 0: the two virtual predecessors have equal potentials, a tie.
        q[p] = 0.5;
        q[p + 1] = 0.5;
        double w = scores[base] / gamma;
        for (int t = 1; t < length; t++) {
            p += 2;
            double q0 = Math.min(1.0, Math.max(0.0, offset0 - 0.5 * w));
            double q1 = Math.min(1.0, Math.max(0.0, offset1 - 0.5 * w));
            q[p] = q0;
            q[p + 1] = q1;
            double n0 = q0 * a00 + (1 - q0) * (a01 + w + q0);
            double n1 = q1 * a10 + (1 - q1) * (a11 + w + q1);
            w = scores[base + t] / gamma + (n1 - n0);
        }
        terminal[r] = Math.min(1.0, Math.max(0.0, 0.5 - 0.5 * w));
    }
}

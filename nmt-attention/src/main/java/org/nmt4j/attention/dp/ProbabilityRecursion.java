package org.nmt4j.attention.dp;

/**
 * The forward of a {@link TwoStateChain} with negentropy in probability space: it carries the forward weights
 * {@code (d, n) ∝ (exp(v_t[0]/γ), exp(v_t[1]/γ))} of the two states, scaled by powers of two, so that with
 * {@code c_i = exp((A[i][1] - A[i][0])/γ)} and {@code x_t = exp((s_t + A10 - A00)/γ)}
 * <pre>
 *   d_t = d + c_0 n,   m = d + c_1 n,   n_t = x_t m,   Q[t][0][0] = d / d_t,   Q[t][1][0] = d / m,
 * </pre>
 * from {@code (d, n) = (d_{t-1}, n_{t-1})}, {@code (d_0, n_0) = (1, exp(s_0/γ))}, and the terminal weight of
 * state 0 is {@code d / (d + n)}: one {@code exp} and no {@code log} per position, and no division on the
 * dependency chain from one position to the next.
 *
 * <p>It is used only where nothing can overflow or become subnormal. With σ the spread
 * {@code (max A - min A)/γ}, a row qualifies when {@code |s_t|/γ ≤ LIMIT - 3σ} for all t. Then the ratio
 * {@code r_t = n_t/d_t} satisfies {@code |log r_t| ≤ LIMIT} at every step (the factor {@code m/d_t} lies between 1
 * and {@code c_1/c_0}); d never decreases from 1 and is brought back into [1, 2) by an exact power of two once
 * it passes {@code 2^200}, so {@code d ≤ e^407} and {@code e^-200 ≤ n ≤ e^607} whatever the chain length. Rows
 * outside that range (and transitions spread beyond it) are left to the log-space recursion.
 */
final class ProbabilityRecursion {

    /** Bound on {@code |log(n_t/d_t)|}. */
    static final double LIMIT = 200;
    private static final double RESCALE = 0x1p200;

    private final double gamma;
    private final double c0;
    private final double c1;
    private final double shift;
    /** Largest |s_t| a row may have; negative (no row qualifies) when the transitions alone are too spread. */
    private final double scoreBound;

    ProbabilityRecursion(double[] a, double gamma) {
        this.gamma = gamma;
        double spread = (Math.max(Math.max(a[0], a[1]), Math.max(a[2], a[3]))
                - Math.min(Math.min(a[0], a[1]), Math.min(a[2], a[3]))) / gamma;
        this.scoreBound = (LIMIT - 3 * spread) * gamma;
        this.c0 = Math.exp((a[1] - a[0]) / gamma);
        this.c1 = Math.exp((a[3] - a[2]) / gamma);
        this.shift = (a[2] - a[0]) / gamma;
    }

    /**
     * If the row of {@code length} scores at {@code base} qualifies, writes its local weights into q
     * ({@code Q[t][0][0], Q[t][1][0]} at {@code 2(base + t)}) and its terminal weight of state 0 into
     * {@code terminal[r]} and returns true; otherwise returns false, having used q's slots of the row as scratch.
     */
    boolean run(double[] scores, int base, int length, double[] q, double[] terminal, int r) {
        // The factors x_t first, off the recursion's dependency chain, kept where Q[t][0][0] goes.
        for (int t = 1; t < length; t++) {
            double s = scores[base + t];
            if (!(Math.abs(s) <= scoreBound)) {
                return false;
            }
            q[2 * (base + t)] = Math.exp(s / gamma + shift);
        }
        double s0 = scores[base];
        if (!(Math.abs(s0) <= scoreBound)) {
            return false;
        }
        int p = 2 * base;
        // Step 0: the two virtual predecessors have equal potentials, a tie.
        q[p] = 0.5;
        q[p + 1] = 0.5;
        double d = 1;
        double n = Math.exp(s0 / gamma);
        for (int t = 1; t < length; t++) {
            p += 2;
            double next = d + c0 * n;
            double m = d + c1 * n;
            double x = q[p];
            q[p] = d / next;
            q[p + 1] = d / m;
            d = next;
            n = x * m;
            if (d > RESCALE) {
                int e = Math.getExponent(d);
                d = Math.scalb(d, -e);
                n = Math.scalb(n, -e);
            }
        }
        terminal[r] = d / (d + n);
        return true;
    }
}

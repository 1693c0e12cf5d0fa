package org.nmt4j.attention.dp;

/**
 * A smoothed max operator {@code max_Ω} over a vector segment: its value, its gradient (the argmax
 * distribution q on the simplex) and its Hessian-vector product. Implementations are stateless and
 * thread-safe and never allocate, so they can sit in the inner loop of a dynamic program.
 *
 * <p>Temperature convention: {@code max_{γΩ}(x) = γ max_Ω(x/γ)}; the gradient carries no γ factor
 * and the Hessian carries {@code 1/γ}.
 */
public interface SmoothedMax {

    /** The regularizer this operator smooths with. */
    Regularizer regularizer();

    /** The temperature γ (1 for the hard max, which has none). */
    double gamma();

    /**
     * Computes {@code max_Ω(x[xOff .. xOff+n))} and writes its gradient into {@code q[qOff .. qOff+n)}.
     * {@code x} and {@code q} must not overlap.
     */
    double max(double[] x, int xOff, int n, double[] q, int qOff);

    /**
     * Writes {@code J_Ω(q) z}, the Hessian of {@code max_Ω} at the point whose gradient is {@code q},
     * applied to {@code z}, into {@code out[outOff .. outOff+n)}. {@code out} may alias {@code z}.
     */
    void hessianProduct(double[] q, int qOff, double[] z, int zOff, int n, double[] out, int outOff);

    /**
     * The two-entry case, allocation-free: returns {@code max_Ω(a, b)} and writes the weight of {@code a}
     * (the first gradient entry; the second is one minus it) into {@code q[qOff]}.
     */
    double max2(double a, double b, double[] q, int qOff);

    /**
     * The two-entry Hessian: {@code J_Ω(q) z = c (z_0 - z_1) (1, -1)} for a gradient {@code (q0, 1 - q0)};
     * returns that c.
     */
    double curvature2(double q0);

    /** The operator for a regularizer; γ must be positive and finite (ignored for {@link Regularizer#HARD}). */
    static SmoothedMax of(Regularizer regularizer, double gamma) {
        switch (regularizer) {
            case HARD: return new HardMax(HardMax.Ties.FIRST);
            case NEGENTROPY: return new NegentropyMax(gamma);
            case L2: return new SquaredL2Max(gamma);
            default: throw new AssertionError(regularizer);
        }
    }

    /** Checks that a temperature is usable. */
    static double checkGamma(double gamma) {
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be positive and finite, got " + gamma);
        }
        return gamma;
    }
}

package org.nmt4j.attention.dp;

import java.util.Locale;

/** The regularizer Ω of a smoothed max operator {@code max_Ω(x) = max_{q ∈ Δ} <q, x> - Ω(q)}. */
public enum Regularizer {
    /** Ω = 0: the plain max, gradient a one-hot argmax, Hessian 0. */
    HARD,
    /** Ω(q) = γ Σ q log q: log-sum-exp, gradient softmax(x/γ). */
    NEGENTROPY,
    /** Ω(q) = γ/2 ||q||²: gradient sparsemax(x/γ). */
    L2;

    /** Parses "hard", "negentropy" (or "entropy"), "l2" (or "squared-l2"). */
    public static Regularizer parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "hard": return HARD;
            case "negentropy": case "entropy": return NEGENTROPY;
            case "l2": case "squared-l2": return L2;
            default:
                throw new IllegalArgumentException("unknown regularizer '" + name
                        + "' (expected hard, negentropy or l2)");
        }
    }
}

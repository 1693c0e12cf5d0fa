package org.nmt4j.serve.search;

import java.util.Locale;

/**
 * Length normalisation of a finished hypothesis' score: {@code score = log p(y|x) / lp(|y|)}, where |y| counts the
 * target tokens that were scored, the final eos included (a hypothesis cut at the length bound has no eos).
 * <ul>
 *   <li>{@link Kind#GNMT}: {@code lp = ((5 + |y|) / 6)^α} (Wu et al. 2016, the GNMT paper)</li>
 *   <li>{@link Kind#PLAIN}: {@code lp = |y|^α} (fairseq's and Marian's normalisation)</li>
 * </ul>
 * With {@code α = 0} both give {@code lp = 1}: the raw log-probability. α = 1 with {@code plain} is the mean
 * log-probability per token. An empty hypothesis (|y| = 0, only when the length bound is 0) keeps its raw score 0.
 *
 * @param kind  the formula
 * @param alpha α, at least 0
 */
public record LengthPenalty(Kind kind, double alpha) {

    /** The formulas. */
    public enum Kind {
        GNMT, PLAIN;

        /** The kind named {@code gnmt} or {@code plain} (any case). */
        public static Kind parse(String name) {
            for (Kind kind : values()) {
                if (kind.name().equalsIgnoreCase(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("length penalty must be gnmt or plain, got " + name);
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** No normalisation: the raw log-probability. */
    public static final LengthPenalty NONE = new LengthPenalty(Kind.PLAIN, 0);

    public LengthPenalty {
        if (kind == null) {
            throw new IllegalArgumentException("length penalty kind is required");
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("length penalty α must be finite and at least 0, got " + alpha);
        }
    }

    /** {@code lp(length)}. */
    public double divisor(int length) {
        double base = kind == Kind.GNMT ? (5.0 + length) / 6.0 : length;
        return Math.pow(base, alpha);
    }

    /** The normalized score of a hypothesis of {@code length} scored tokens with log-probability {@code logProb}. */
    public double normalize(double logProb, int length) {
        return length == 0 ? logProb : logProb / divisor(length);
    }
}

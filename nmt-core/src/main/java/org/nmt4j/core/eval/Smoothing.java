package org.nmt4j.core.eval;

/**
 * BLEU smoothing methods of sacreBLEU (Chen and Cherry, 2014). {@link #EXP} is the default and
 * reproduces {@code mteval-v13a.pl}.
 */
public enum Smoothing {
    /** No smoothing: a zero n-gram precision makes BLEU zero. */
    NONE("none", Double.NaN),
    /** Method 1: a zero match count is replaced by the smoothing value (default 0.1). */
    FLOOR("floor", 0.1),
    /** Method 2: the smoothing value (default 1) is added to matches and totals for n &gt; 1. */
    ADD_K("add-k", 1),
    /** Method 3 (NIST): the k-th zero precision becomes 1 / (2^k * total). */
    EXP("exp", Double.NaN);

    private final String label;
    private final double defaultValue;

    Smoothing(String label, double defaultValue) {
        this.label = label;
        this.defaultValue = defaultValue;
    }

    /** The name sacreBLEU uses ({@code add-k}). */
    public String label() {
        return label;
    }

    /** Whether the method takes a smoothing value. */
    public boolean takesValue() {
        return !Double.isNaN(defaultValue);
    }

    /** The default smoothing value; NaN for methods without one. */
    public double defaultValue() {
        return defaultValue;
    }

    /** The method called {@code label} in sacreBLEU. */
    public static Smoothing fromLabel(String label) {
        for (Smoothing s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown smoothing method '" + label + "' (none, floor, add-k, exp)");
    }
}

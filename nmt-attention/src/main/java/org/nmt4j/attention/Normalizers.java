package org.nmt4j.attention;

import java.util.List;
import java.util.Locale;
import org.nmt4j.attention.dp.NegentropyMax;
import org.nmt4j.attention.dp.SquaredL2Max;

/** Chooses an attention normalizer by name: softmax, sparsemax, struct-entropy or struct-l2. */
public final class Normalizers {

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("softmax", "sparsemax", "struct-entropy", "struct-l2");

    /** Below this many score cells per chunk, work stays on the calling thread. */
    static final long MIN_CELLS_PER_CHUNK = 8192;

    private Normalizers() {
    }

    /** The normalizer called {@code name} with the given options. */
    public static AttentionNormalizer create(String name, NormalizerOptions options) {
        String key = name.toLowerCase(Locale.ROOT);
        switch (key) {
            case "softmax":
                return new SimplexNormalizer(key, new NegentropyMax(options.gamma()));
            case "sparsemax":
                return new SimplexNormalizer(key, new SquaredL2Max(options.gamma()));
            case "struct-entropy":
                return new StructuredNormalizer(key, new NegentropyMax(options.gamma()), options.renormalize());
            case "struct-l2":
                return new StructuredNormalizer(key, new SquaredL2Max(options.gamma()), options.renormalize());
            default:
                throw new IllegalArgumentException("unknown attention normalizer '" + name + "'; expected one of "
                        + NAMES);
        }
    }

    /** The normalizer called {@code name} with default options. */
    public static AttentionNormalizer create(String name) {
        return create(name, NormalizerOptions.DEFAULTS);
    }

    static void checkParameters(AttentionNormalizer normalizer, double[] parameters) {
        if (parameters.length != normalizer.parameterCount()) {
            throw new IllegalArgumentException(normalizer.name() + " takes " + normalizer.parameterCount()
                    + " parameters, got " + parameters.length);
        }
        for (double p : parameters) {
            if (!Double.isFinite(p)) {
                throw new IllegalArgumentException(normalizer.name() + " parameter is " + p + "; must be finite");
            }
        }
    }

    static void checkGradientShapes(AttentionScores scores, double[] weightGradient, double[] scoreGradient) {
        int n = scores.rows() * scores.maxLength();
        if (weightGradient.length != n || scoreGradient.length != n) {
            throw new IllegalArgumentException("gradients must have " + n + " entries like the scores, got "
                    + weightGradient.length + " and " + scoreGradient.length);
        }
        for (int r = 0; r < scores.rows(); r++) {
            for (int t = 0; t < scores.length(r); t++) {
                double g = weightGradient[r * scores.maxLength() + t];
                if (!Double.isFinite(g)) {
                    throw new IllegalArgumentException("gradient of attention weight at row " + r + ", position "
                            + t + " is " + g + "; must be finite");
                }
            }
        }
    }
}

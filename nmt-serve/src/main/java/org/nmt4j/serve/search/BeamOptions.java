package org.nmt4j.serve.search;

/**
 * Settings of {@link BeamSearch}.
 *
 * @param beamSize      K: hypotheses kept per sentence, and the size of its n-best list
 * @param lengthPenalty how finished hypotheses are ranked
 * @param lengthRatio   a in the maximum output length {@code floor(a·|x| + b)}, with |x| the source subwords
 *                      without eos (as {@link org.nmt4j.core.model.GreedySearch}); at least 0
 * @param lengthOffset  b, at least 0
 * @param noRepeatNgram N: no hypothesis may contain the same n-gram of N tokens twice (0: no blocking)
 * @param alignments    keep each output token's attention row in {@link Hypothesis#attention()}
 */
public record BeamOptions(int beamSize, LengthPenalty lengthPenalty, double lengthRatio, double lengthOffset,
        int noRepeatNgram, boolean alignments) {

    public BeamOptions {
        if (beamSize < 1) {
            throw new IllegalArgumentException("beam size must be at least 1, got " + beamSize);
        }
        if (lengthPenalty == null) {
            throw new IllegalArgumentException("a length penalty is required (LengthPenalty.NONE for none)");
        }
        if (!(lengthRatio >= 0) || Double.isInfinite(lengthRatio)) {
            throw new IllegalArgumentException("length ratio must be finite and at least 0, got " + lengthRatio);
        }
        if (!(lengthOffset >= 0) || Double.isInfinite(lengthOffset)) {
            throw new IllegalArgumentException("length offset must be finite and at least 0, got " + lengthOffset);
        }
        if (noRepeatNgram < 0) {
            throw new IllegalArgumentException("no-repeat n-gram size must be at least 0, got " + noRepeatNgram);
        }
    }

    /**
     * The defaults of {@code nmt translate} for a beam of K: gnmt length penalty with α = 0.6, maximum output length
     * {@code 2·|x| + 10}, no n-gram blocking.
     */
    public static BeamOptions defaults(int beamSize, boolean alignments) {
        return new BeamOptions(beamSize, new LengthPenalty(LengthPenalty.Kind.GNMT, 0.6), 2, 10, 0, alignments);
    }

    /** The most tokens (eos not counted) the translation of a source of {@code sourceTokens} subwords may have. */
    public int maxLength(int sourceTokens) {
        return (int) Math.floor(lengthRatio * sourceTokens + lengthOffset);
    }
}

package org.nmt4j.train.model;

import java.util.SplittableRandom;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.text.SpecialIds;

/** Synthetic parallel corpora for tests: random id sequences and their copies (or reversals). */
public final class SyntheticTask {

    public static final SpecialIds IDS = SpecialIds.NMT4J;

    private SyntheticTask() {
    }

    /** {@code pairs} random sequences over ids {@code 4 .. vocab-1} of lengths {@code minLength .. maxLength}. */
    public static TokenizedCorpus corpus(int pairs, int vocab, int minLength, int maxLength, boolean reverse,
                                         long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] source = new int[pairs][];
        int[][] target = new int[pairs][];
        long[] lines = new long[pairs];
        for (int i = 0; i < pairs; i++) {
            int length = random.nextInt(minLength, maxLength + 1);
            source[i] = new int[length];
            target[i] = new int[length];
            for (int t = 0; t < length; t++) {
                source[i][t] = random.nextInt(4, vocab);
            }
            for (int t = 0; t < length; t++) {
                target[i][t] = source[i][reverse ? length - 1 - t : t];
            }
            lines[i] = i;
        }
        return new TokenizedCorpus(source, target, lines, 0);
    }
}

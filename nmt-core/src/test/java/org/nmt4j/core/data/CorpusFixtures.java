package org.nmt4j.core.data;

import java.util.Random;

/** Synthetic tokenized corpora for batching tests. */
final class CorpusFixtures {

    private CorpusFixtures() {
    }

    /** {@code n} pairs with random lengths in [1, maxLen] and ids in [4, 100); line index = 10 × pair index. */
    static TokenizedCorpus random(int n, int maxLen, long seed) {
        Random r = new Random(seed);
        int[][] src = new int[n][];
        int[][] tgt = new int[n][];
        long[] lines = new long[n];
        for (int i = 0; i < n; i++) {
            src[i] = r.ints(1 + r.nextInt(maxLen), 4, 100).toArray();
            tgt[i] = r.ints(1 + r.nextInt(maxLen), 4, 100).toArray();
            lines[i] = 10L * i;
        }
        return new TokenizedCorpus(src, tgt, lines, 0);
    }
}

package org.nmt4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nmt4j.core.text.SpecialIds;

class BatchTest {

    @Test
    void sourceGetsEosTargetInputBosTargetOutputEosAllPadded() {
        TokenizedCorpus corpus = new TokenizedCorpus(
                new int[][] {{10, 11, 12}, {20}},
                new int[][] {{30}, {40, 41, 42, 43}},
                new long[] {5, 9}, 0);
        Batch b = Batch.assemble(corpus, new int[] {1, 0}, SpecialIds.NMT4J, 3, 7);
        assertEquals(3, b.epoch());
        assertEquals(7, b.indexInEpoch());
        assertArrayEquals(new long[] {9, 5}, b.lineIndices());
        assertArrayEquals(new int[][] {{20, 3, 0, 0}, {10, 11, 12, 3}}, b.source());
        assertArrayEquals(new int[] {2, 4}, b.sourceLengths());
        assertArrayEquals(new int[][] {{2, 40, 41, 42, 43}, {2, 30, 0, 0, 0}}, b.targetInput());
        assertArrayEquals(new int[][] {{40, 41, 42, 43, 3}, {30, 3, 0, 0, 0}}, b.targetOutput());
        assertArrayEquals(new int[] {5, 2}, b.targetLengths());
        assertEquals(8, b.paddedSourceTokens());
        assertEquals(10, b.paddedTargetTokens());
    }

    @Test
    void emptySideIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new TokenizedCorpus(new int[][] {{1}}, new int[][] {{}}, new long[] {0}, 0));
    }
}

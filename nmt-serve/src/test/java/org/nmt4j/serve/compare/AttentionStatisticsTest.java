package org.nmt4j.serve.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttentionStatisticsTest {

    @Test
    void countsZerosEntropyAndSpansPerRow() {
        AttentionStatistics stats = new AttentionStatistics();
        stats.add(new float[][] {
            {0.25f, 0.25f, 0.25f, 0.25f},   // uniform: entropy log 4, one span
            {0.5f, 0f, 0.5f, 0f},           // two spans, entropy log 2
        });
        stats.add(new float[][] {{0f, 1f, 0f, 0f}}); // one span, entropy 0
        assertEquals(3, stats.rows());
        assertEquals(5.0 / 12, stats.zeroFraction(), 1e-12);
        assertEquals((Math.log(4) + Math.log(2)) / 3, stats.meanEntropy(), 1e-6);
        assertEquals(4.0 / 3, stats.meanSpans(), 1e-12);
    }

    @Test
    void entropyIsThatOfTheRowNormalisedToSumOne() {
        AttentionStatistics stats = new AttentionStatistics();
        stats.add(new float[][] {{0.9f, 0.9f, 0f}}); // unnormalised structured marginals
        assertEquals(Math.log(2), stats.meanEntropy(), 1e-6);
    }

    @Test
    void noRowsGiveNaN() {
        AttentionStatistics stats = new AttentionStatistics();
        stats.add(new float[0][]);
        assertTrue(Double.isNaN(stats.zeroFraction()));
        assertTrue(Double.isNaN(stats.meanEntropy()));
        assertTrue(Double.isNaN(stats.meanSpans()));
    }
}

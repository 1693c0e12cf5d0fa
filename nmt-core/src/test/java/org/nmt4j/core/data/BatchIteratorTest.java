package org.nmt4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmt4j.core.text.SpecialIds;

class BatchIteratorTest {

    private static final int MAX_TOKENS = 120;
    private final TokenizedCorpus corpus = CorpusFixtures.random(500, 30, 42);
    private final BatchPlanner planner = new BatchPlanner(corpus, MAX_TOKENS);

    @TempDir
    Path dir;

    @Test
    void everyBatchRespectsMaxTokensOnBothSides() {
        BatchIterator it = new BatchIterator(planner, SpecialIds.NMT4J, 1);
        int batches = it.batchesInEpoch();
        assertTrue(batches > 20, "expected many batches, got " + batches);
        boolean someBatchNearlyFull = false;
        for (int i = 0; i < 2 * batches; i++) {
            Batch b = it.next();
            assertTrue(b.paddedSourceTokens() <= MAX_TOKENS, "source " + b.paddedSourceTokens());
            assertTrue(b.paddedTargetTokens() <= MAX_TOKENS, "target " + b.paddedTargetTokens());
            someBatchNearlyFull |= Math.max(b.paddedSourceTokens(), b.paddedTargetTokens()) > MAX_TOKENS / 2;
        }
        assertTrue(someBatchNearlyFull, "batches should be packed, not one pair each");
    }

    @Test
    void everyPairAppearsExactlyOncePerEpoch() {
        BatchIterator it = new BatchIterator(planner, SpecialIds.NMT4J, 5);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] seen = new int[corpus.size()];
            int batches = it.batchesInEpoch();
            for (int i = 0; i < batches; i++) {
                Batch b = it.next();
                assertEquals(epoch, b.epoch());
                assertEquals(i, b.indexInEpoch());
                for (int e : b.examples()) {
                    seen[e]++;
                }
            }
            for (int i = 0; i < seen.length; i++) {
                assertEquals(1, seen[i], "pair " + i + " in epoch " + epoch);
            }
        }
    }

    @Test
    void batchesAreLengthBucketed() {
        // Padding waste with bucketing must be far below that of random batches of the same sizes.
        long padded = 0;
        long real = 0;
        for (int[] batch : planner.plan(3, 0)) {
            Batch b = Batch.assemble(corpus, batch, SpecialIds.NMT4J, 0, 0);
            padded += b.paddedSourceTokens();
            for (int len : b.sourceLengths()) {
                real += len;
            }
        }
        assertTrue(padded < 1.15 * real, "padded " + padded + " vs real " + real);
    }

    @Test
    void sameSeedSameBatchesDifferentSeedOrEpochDifferent() {
        List<int[]> a = planner.plan(7, 0);
        List<int[]> b = new BatchPlanner(corpus, MAX_TOKENS).plan(7, 0);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        assertNotEquals(flatten(a), flatten(planner.plan(8, 0)));
        assertNotEquals(flatten(a), flatten(planner.plan(7, 1)));
    }

    @Test
    void restoredStateGivesTheSameRemainingBatchesAcrossAnEpochBoundary() throws IOException {
        BatchIterator original = new BatchIterator(planner, SpecialIds.NMT4J, 11);
        int perEpoch = original.batchesInEpoch();
        int stopAt = perEpoch - 3; // mid-epoch, three batches before the boundary
        for (int i = 0; i < stopAt; i++) {
            original.next();
        }
        Path file = dir.resolve("iterator.json");
        original.state().write(file);
        BatchIteratorState saved = BatchIteratorState.read(file);
        assertEquals(new BatchIteratorState(0, stopAt, 11, corpus.size(), MAX_TOKENS), saved);

        BatchIterator resumed = BatchIterator.resume(new BatchPlanner(corpus, MAX_TOKENS), SpecialIds.NMT4J, saved);
        List<Batch> expected = new ArrayList<>();
        List<Batch> actual = new ArrayList<>();
        for (int i = 0; i < 13; i++) { // the last 3 of epoch 0, then 10 of epoch 1
            expected.add(original.next());
            actual.add(resumed.next());
        }
        assertEquals(1, expected.get(expected.size() - 1).epoch());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).epoch(), actual.get(i).epoch());
            assertEquals(expected.get(i).indexInEpoch(), actual.get(i).indexInEpoch());
            assertArrayEquals(expected.get(i).examples(), actual.get(i).examples(), "batch " + i);
            assertArrayEquals(expected.get(i).source(), actual.get(i).source());
            assertArrayEquals(expected.get(i).targetOutput(), actual.get(i).targetOutput());
        }
    }

    @Test
    void stateSavedAtEpochEndResumesIntoNextEpoch() throws IOException {
        BatchIterator original = new BatchIterator(planner, SpecialIds.NMT4J, 2);
        for (int i = 0; i < original.batchesInEpoch(); i++) {
            original.next();
        }
        BatchIteratorState state = BatchIteratorState.fromJson(original.state().toJson());
        BatchIterator resumed = BatchIterator.resume(planner, SpecialIds.NMT4J, state);
        Batch a = original.next();
        Batch b = resumed.next();
        assertEquals(1, a.epoch());
        assertEquals(0, a.indexInEpoch());
        assertArrayEquals(a.examples(), b.examples());
    }

    @Test
    void stateOfAnotherCorpusOrBatchSizeIsRejected() {
        BatchIteratorState state = new BatchIterator(planner, SpecialIds.NMT4J, 1).state();
        BatchPlanner other = new BatchPlanner(CorpusFixtures.random(499, 30, 42), MAX_TOKENS);
        assertThrows(IllegalArgumentException.class, () -> BatchIterator.resume(other, SpecialIds.NMT4J, state));
        BatchPlanner bigger = new BatchPlanner(corpus, MAX_TOKENS + 1);
        assertThrows(IllegalArgumentException.class, () -> BatchIterator.resume(bigger, SpecialIds.NMT4J, state));
    }

    @Test
    void aPairLargerThanMaxTokensIsAnErrorNamingItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchPlanner(corpus, 20));
        assertTrue(e.getMessage().contains("line "), e.getMessage());
    }

    private static List<List<Integer>> flatten(List<int[]> batches) {
        List<List<Integer>> out = new ArrayList<>();
        for (int[] b : batches) {
            List<Integer> l = new ArrayList<>();
            for (int x : b) {
                l.add(x);
            }
            out.add(l);
        }
        return out;
    }
}

package org.nmt4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.nmt4j.core.data.TokenizedCorpus;

/**
 * Groups the pairs of a {@link TokenizedCorpus} into batches of a fixed number of pairs, as DL4J's Spark workers
 * need them: they re-batch their input to exactly {@code batchSizePerWorker} examples, merging smaller and splitting
 * larger ones, so nmt4j's token-bounded batches ({@link org.nmt4j.core.data.BatchPlanner}) would not survive.
 *
 * <p>Bucketing as in {@code BatchPlanner}: pairs are shuffled, stably sorted by (source length, target length),
 * cut into batches of {@code rows} pairs in that order (the last one may be shorter; {@link WorkerBatch} pads it
 * with masked rows), and the batches are shuffled. Everything random derives from (seed, epoch) only.
 */
public final class SentenceBatchPlanner {

    private final TokenizedCorpus corpus;
    private final int rows;

    /** @param rows pairs per batch */
    public SentenceBatchPlanner(TokenizedCorpus corpus, int rows) {
        if (corpus.size() == 0) {
            throw new IllegalArgumentException("cannot batch an empty corpus");
        }
        if (rows < 1) {
            throw new IllegalArgumentException("a batch needs at least one pair, got " + rows);
        }
        this.corpus = corpus;
        this.rows = rows;
    }

    /**
     * Pairs per batch such that a batch holds about {@code batchTokens} padded tokens on average: batchTokens over
     * the mean of max(|x| + 1, |y| + 1), at least 1. Batches of long pairs hold more, batches of short ones fewer.
     */
    public static int rowsFor(TokenizedCorpus corpus, int batchTokens) {
        double sum = 0;
        for (int i = 0; i < corpus.size(); i++) {
            sum += Math.max(corpus.source(i).length, corpus.target(i).length) + 1;
        }
        double mean = corpus.size() == 0 ? 1 : sum / corpus.size();
        return Math.max(1, (int) Math.round(batchTokens / mean));
    }

    public int rows() {
        return rows;
    }

    public int batchesPerEpoch() {
        return (corpus.size() + rows - 1) / rows;
    }

    /** The batches of one epoch, in the order they are to be used: lists of pair indices. */
    public List<int[]> plan(long seed, int epoch) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        List<Integer> order = new ArrayList<>(IntStream.range(0, corpus.size()).boxed().toList());
        Collections.shuffle(order, random);
        order.sort(Comparator.<Integer>comparingInt(i -> corpus.source(i).length)
                .thenComparingInt(i -> corpus.target(i).length));
        int[] sorted = order.stream().mapToInt(Integer::intValue).toArray();
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < sorted.length; from += rows) {
            batches.add(Arrays.copyOfRange(sorted, from, Math.min(sorted.length, from + rows)));
        }
        Collections.shuffle(batches, random);
        return batches;
    }
}

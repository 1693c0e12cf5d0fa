package org.nmt4j.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Groups the pairs of a {@link TokenizedCorpus} into token-bounded batches, like fairseq's {@code --max-tokens}: in
 * every batch, rows × longest padded row is at most {@code maxTokens}, on the source side (|x| + 1 for eos) and on
 * the target side (|y| + 1 for bos or eos).
 *
 * <p>Bucketing: pairs are shuffled, stably sorted by (source length, target length) so that a batch holds pairs of
 * similar lengths (little padding) and ties are broken at random, packed greedily in that order, and the batches are
 * then shuffled. Everything random derives from (seed, epoch) only, so the same seed gives the same batches and a
 * new epoch gives a new order. Holds only the corpus reference and per-pair lengths.
 */
public final class BatchPlanner {

    private final TokenizedCorpus corpus;
    private final int maxTokens;
    private final int[] sourceLength;
    private final int[] targetLength;

    /**
     * @throws IllegalArgumentException if a single pair does not fit in {@code maxTokens} (the message names its
     *     line) or the corpus is empty
     */
    public BatchPlanner(TokenizedCorpus corpus, int maxTokens) {
        if (corpus.size() == 0) {
            throw new IllegalArgumentException("cannot batch an empty corpus");
        }
        this.corpus = corpus;
        this.maxTokens = maxTokens;
        this.sourceLength = new int[corpus.size()];
        this.targetLength = new int[corpus.size()];
        for (int i = 0; i < corpus.size(); i++) {
            sourceLength[i] = corpus.source(i).length + 1;
            targetLength[i] = corpus.target(i).length + 1;
            if (Math.max(sourceLength[i], targetLength[i]) > maxTokens) {
                throw new IllegalArgumentException("pair at line " + (corpus.lineIndex(i) + 1) + " needs "
                        + Math.max(sourceLength[i], targetLength[i]) + " padded tokens, more than max tokens "
                        + maxTokens + ": raise max tokens or lower the length limit");
            }
        }
    }

    public TokenizedCorpus corpus() {
        return corpus;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** The batches of one training epoch, in the order they are to be used: lists of pair indices. */
    public List<int[]> plan(long seed, int epoch) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        List<Integer> order = new ArrayList<>(IntStream.range(0, corpus.size()).boxed().toList());
        Collections.shuffle(order, random);
        order.sort(byLength());
        List<int[]> batches = pack(order);
        Collections.shuffle(batches, random);
        return batches;
    }

    /** Batches in length order, without randomness: for evaluation, where order does not matter. */
    public List<int[]> planSorted() {
        List<Integer> order = new ArrayList<>(IntStream.range(0, corpus.size()).boxed().toList());
        order.sort(byLength());
        return pack(order);
    }

    private Comparator<Integer> byLength() {
        return Comparator.<Integer>comparingInt(i -> sourceLength[i]).thenComparingInt(i -> targetLength[i]);
    }

    private List<int[]> pack(List<Integer> order) {
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int maxSrc = 0;
        int maxTgt = 0;
        for (int i : order) {
            int src = Math.max(maxSrc, sourceLength[i]);
            int tgt = Math.max(maxTgt, targetLength[i]);
            int rows = current.size() + 1;
            if ((long) src * rows > maxTokens || (long) tgt * rows > maxTokens) {
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
                src = sourceLength[i];
                tgt = targetLength[i];
            }
            current.add(i);
            maxSrc = src;
            maxTgt = tgt;
        }
        batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        return batches;
    }
}

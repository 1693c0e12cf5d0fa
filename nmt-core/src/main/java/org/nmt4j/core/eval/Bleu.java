package org.nmt4j.core.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU exactly as sacreBLEU 2.x computes it ({@code sacrebleu/metrics/bleu.py}): segments
 * are right-stripped and tokenized ({@link Tokenizer13a} by default), word n-grams of orders
 * 1..4 are clipped by the maximum count over the segment's references, the reference length is
 * the closest one (the shorter on ties), statistics are summed over the corpus, and the score uses
 * the configured {@link Smoothing} ({@link Smoothing#EXP} by default) and brevity penalty.
 *
 * <p>Segment statistics are {@code [hyp_len, ref_len, correct_1..N, total_1..N]}.
 */
public final class Bleu implements CorpusMetric {

    /** sacreBLEU's default maximum n-gram order. */
    public static final int DEFAULT_MAX_ORDER = 4;

    private final BleuTokenizer tokenizer;
    private final Smoothing smoothing;
    private final double smoothValue;
    private final int maxOrder;
    private final boolean effectiveOrder;

    /** sacreBLEU's defaults: 13a, exp smoothing, orders 1..4, no effective order. */
    public Bleu() {
        this(new Tokenizer13a(), Smoothing.EXP, Double.NaN, DEFAULT_MAX_ORDER, false);
    }

    /**
     * @param tokenizer      the tokenizer
     * @param smoothing      the smoothing method
     * @param smoothValue    the value for floor and add-k; NaN selects the method's default
     * @param maxOrder       the maximum n-gram order
     * @param effectiveOrder whether to stop at the highest order with a non-zero total (for sentence BLEU)
     */
    public Bleu(BleuTokenizer tokenizer, Smoothing smoothing, double smoothValue, int maxOrder,
                boolean effectiveOrder) {
        if (maxOrder < 1) {
            throw new IllegalArgumentException("maxOrder must be at least 1: " + maxOrder);
        }
        this.tokenizer = tokenizer;
        this.smoothing = smoothing;
        this.smoothValue = Double.isNaN(smoothValue) ? smoothing.defaultValue() : smoothValue;
        this.maxOrder = maxOrder;
        this.effectiveOrder = effectiveOrder;
    }

    @Override
    public String name() {
        return "BLEU";
    }

    @Override
    public String signatureFields() {
        String smooth = smoothing.label();
        if (smoothing.takesValue()) {
            smooth += "[" + PyText.fixed(smoothValue, 2) + "]";
        }
        return "case:mixed|eff:" + (effectiveOrder ? "yes" : "no") + "|tok:" + tokenizer.name() + "|smooth:" + smooth;
    }

    @Override
    public int statisticsSize() {
        return 2 + 2 * maxOrder;
    }

    @Override
    public int[][] segmentStatistics(List<String> hypotheses, References references) {
        references.checkAligned(hypotheses);
        Map<String, Integer> vocabulary = new HashMap<>();
        NgramIndexer indexer = new NgramIndexer();
        Counts counts = new Counts();
        int[][] stats = new int[hypotheses.size()][];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = segment(hypotheses.get(i), references.get(i), vocabulary, indexer, counts);
        }
        return stats;
    }

    /** BLEU of one segment against its references (sacreBLEU's {@code sentence_score}). */
    public BleuScore sentenceScore(String hypothesis, List<String> references) {
        return (BleuScore) corpusScore(List.of(hypothesis), References.of(references.stream().map(List::of).toList()));
    }

    private int[] segment(String hypothesis, List<String> references, Map<String, Integer> vocabulary,
                          NgramIndexer indexer, Counts counts) {
        indexer.clear();
        int[] hypTokens = tokenIds(hypothesis, vocabulary);
        int[][] hypNgrams = indexer.index(hypTokens, maxOrder);
        int[][][] refNgrams = new int[references.size()][][];
        int[] refLens = new int[references.size()];
        for (int r = 0; r < refNgrams.length; r++) {
            int[] refTokens = tokenIds(references.get(r), vocabulary);
            refLens[r] = refTokens.length;
            refNgrams[r] = indexer.index(refTokens, maxOrder);
        }
        counts.ensure(indexer.size());
        // reference counts: the maximum over references
        for (int[][] ref : refNgrams) {
            for (int[] order : ref) {
                for (int id : order) {
                    counts.tmp[id]++;
                }
            }
            for (int[] order : ref) {
                for (int id : order) {
                    counts.ref[id] = Math.max(counts.ref[id], counts.tmp[id]);
                    counts.tmp[id] = 0;
                }
            }
        }
        int[] row = new int[statisticsSize()];
        row[0] = hypTokens.length;
        row[1] = closestRefLength(hypTokens.length, refLens);
        for (int[] order : hypNgrams) {
            for (int id : order) {
                counts.hyp[id]++;
            }
        }
        for (int n = 0; n < maxOrder; n++) {
            int correct = 0;
            for (int id : hypNgrams[n]) {
                if (counts.hyp[id] > 0) {
                    correct += Math.min(counts.hyp[id], counts.ref[id]);
                    counts.hyp[id] = 0;
                }
            }
            row[2 + n] = correct;
            row[2 + maxOrder + n] = hypNgrams[n].length;
        }
        for (int[][] ref : refNgrams) {
            for (int[] order : ref) {
                for (int id : order) {
                    counts.ref[id] = 0;
                }
            }
        }
        return row;
    }

    private int[] tokenIds(String segment, Map<String, Integer> vocabulary) {
        List<String> tokens = PyText.split(tokenizer.tokenize(PyText.rstrip(segment)));
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = vocabulary.get(tokens.get(i));
            if (id == null) {
                id = vocabulary.size();
                vocabulary.put(tokens.get(i), id);
            }
            ids[i] = id;
        }
        return ids;
    }

    private static int closestRefLength(int hypLen, int[] refLens) {
        int closestDiff = -1;
        int closestLen = -1;
        for (int refLen : refLens) {
            int diff = Math.abs(hypLen - refLen);
            if (closestDiff == -1 || diff < closestDiff) {
                closestDiff = diff;
                closestLen = refLen;
            } else if (diff == closestDiff && refLen < closestLen) {
                closestLen = refLen;
            }
        }
        return closestLen;
    }

    @Override
    public BleuScore scoreFromStatistics(long[] sums) {
        double[] correct = new double[maxOrder];
        double[] total = new double[maxOrder];
        for (int n = 0; n < maxOrder; n++) {
            correct[n] = sums[2 + n];
            total[n] = sums[2 + maxOrder + n];
        }
        return compute(correct, total, sums[0], sums[1]);
    }

    /** sacreBLEU's {@code BLEU.compute_bleu} on already aggregated statistics. */
    public BleuScore compute(double[] correct, double[] total, long sysLen, long refLen) {
        double bp;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
        } else {
            bp = 1.0;
        }
        double[] precisions = new double[maxOrder];
        boolean anyCorrect = false;
        for (double c : correct) {
            anyCorrect |= c != 0;
        }
        if (!anyCorrect) {
            return new BleuScore(0.0, correct, total, precisions, bp, sysLen, refLen);
        }
        double smoothMteval = 1.0;
        int effOrder = maxOrder;
        for (int n = 1; n <= maxOrder; n++) {
            if (smoothing == Smoothing.ADD_K && n > 1) {
                correct[n - 1] += smoothValue;
                total[n - 1] += smoothValue;
            }
            if (total[n - 1] == 0) {
                break;
            }
            if (effectiveOrder) {
                effOrder = n;
            }
            if (correct[n - 1] == 0) {
                if (smoothing == Smoothing.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100. / (smoothMteval * total[n - 1]);
                } else if (smoothing == Smoothing.FLOOR) {
                    precisions[n - 1] = 100. * smoothValue / total[n - 1];
                }
            } else {
                precisions[n - 1] = 100. * correct[n - 1] / total[n - 1];
            }
        }
        double logSum = 0;
        for (int n = 0; n < effOrder; n++) {
            logSum += precisions[n] == 0.0 ? -9999999999.0 : Math.log(precisions[n]);
        }
        double score = bp * Math.exp(logSum / effOrder);
        return new BleuScore(score, correct, total, precisions, bp, sysLen, refLen);
    }

    /** Reusable count arrays indexed by n-gram id; all zero between uses. */
    private static final class Counts {
        int[] hyp = new int[0];
        int[] ref = new int[0];
        int[] tmp = new int[0];

        void ensure(int size) {
            if (hyp.length < size) {
                int n = Math.max(size, hyp.length * 2);
                hyp = new int[n];
                ref = new int[n];
                tmp = new int[n];
            }
        }
    }
}

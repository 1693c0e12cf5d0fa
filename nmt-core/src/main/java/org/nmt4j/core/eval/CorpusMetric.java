package org.nmt4j.core.eval;

import java.util.List;

/**
 * A corpus-level metric computed from per-segment sufficient statistics, as sacreBLEU's
 * {@code Metric}: the statistics of a corpus (or of a bootstrap resample) are summed and the score
 * is computed from the sums.
 */
public interface CorpusMetric {

    /** The sacreBLEU release whose BLEU and chrF this package reproduces; it appears in signatures. */
    String SACREBLEU_VERSION = "2.6.0";

    /** The metric's name ({@code BLEU}, {@code chrF2}). */
    String name();

    /** The metric-specific part of the signature, e.g. {@code case:mixed|eff:no|tok:13a|smooth:exp}. */
    String signatureFields();

    /** The sacreBLEU signature, e.g. {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0}. */
    default String signature(References references) {
        return "nrefs:" + references.numRefsLabel() + "|" + signatureFields() + "|version:" + SACREBLEU_VERSION;
    }

    /** One row of sufficient statistics per segment. */
    int[][] segmentStatistics(List<String> hypotheses, References references);

    /** The score of a corpus whose segment statistics sum to {@code sums}. */
    MetricScore scoreFromStatistics(long[] sums);

    /** The corpus-level score. */
    default MetricScore corpusScore(List<String> hypotheses, References references) {
        return scoreFromStatistics(sum(segmentStatistics(hypotheses, references), statisticsSize()));
    }

    /** The length of a row of statistics. */
    int statisticsSize();

    /** Column sums of per-segment statistics. */
    static long[] sum(int[][] statistics, int size) {
        long[] sums = new long[size];
        for (int[] row : statistics) {
            for (int j = 0; j < size; j++) {
                sums[j] += row[j];
            }
        }
        return sums;
    }
}

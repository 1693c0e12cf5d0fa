package org.nmt4j.core.eval;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A BLEU score with its statistics, formatted like sacreBLEU's {@code BLEUScore}:
 * {@code BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)}.
 *
 * @param score      BLEU, 0..100
 * @param counts     matching n-grams per order (after add-k smoothing, if any)
 * @param totals     hypothesis n-grams per order (after add-k smoothing, if any)
 * @param precisions n-gram precisions, 0..100
 * @param bp         brevity penalty
 * @param sysLen     hypothesis length in tokens
 * @param refLen     (closest) reference length in tokens
 */
public record BleuScore(double score, double[] counts, double[] totals, double[] precisions, double bp,
                        long sysLen, long refLen) implements MetricScore {

    @Override
    public String name() {
        return "BLEU";
    }

    /** hypothesis length / reference length, 0 when the reference length is 0. */
    public double ratio() {
        return refLen == 0 ? 0 : (double) sysLen / refLen;
    }

    @Override
    public String verbose() {
        String prec = Arrays.stream(precisions).mapToObj(p -> PyText.fixed(p, 1)).collect(Collectors.joining("/"));
        return prec + " (BP = " + PyText.fixed(bp, 3) + " ratio = " + PyText.fixed(ratio(), 3)
                + " hyp_len = " + sysLen + " ref_len = " + refLen + ")";
    }

    @Override
    public String toString() {
        return format(2);
    }
}

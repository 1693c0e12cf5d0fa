package org.nmt4j.core.eval;

import java.util.List;

/**
 * chrF (Popović, 2015) exactly as sacreBLEU 2.x computes it ({@code sacrebleu/metrics/chrf.py}),
 * without word n-grams (word order 0): whitespace (Python's definition) is removed unless
 * {@code whitespace} is set, character n-grams of orders 1..{@code charOrder} are counted over
 * Unicode code points, an order's hypothesis count is zeroed when the reference has no n-gram of
 * that order, the reference with the best sentence F-score is kept, statistics are summed over the
 * corpus and the corpus F-beta is computed from the sums, by default with sacreBLEU's
 * effective-order averaging ({@code eff:yes}) and otherwise with chrF++.py's epsilon smoothing.
 *
 * <p>Segment statistics are {@code [hyp_n, ref_n, match_n]} for each order n.
 */
public final class Chrf implements CorpusMetric {

    /** sacreBLEU's default character n-gram order. */
    public static final int DEFAULT_CHAR_ORDER = 6;
    /** sacreBLEU's default beta. */
    public static final int DEFAULT_BETA = 2;

    private final int charOrder;
    private final int beta;
    private final boolean whitespace;
    private final boolean epsSmoothing;

    /** sacreBLEU's defaults: chrF2, character order 6, whitespace removed, effective-order averaging. */
    public Chrf() {
        this(DEFAULT_CHAR_ORDER, DEFAULT_BETA, false, false);
    }

    /**
     * @param charOrder    the maximum character n-gram order
     * @param beta         the weight of recall against precision
     * @param whitespace   whether to keep whitespace when extracting character n-grams
     * @param epsSmoothing chrF++.py / Moses / NLTK epsilon smoothing instead of effective-order averaging
     */
    public Chrf(int charOrder, int beta, boolean whitespace, boolean epsSmoothing) {
        if (charOrder < 1) {
            throw new IllegalArgumentException("charOrder must be at least 1: " + charOrder);
        }
        this.charOrder = charOrder;
        this.beta = beta;
        this.whitespace = whitespace;
        this.epsSmoothing = epsSmoothing;
    }

    @Override
    public String name() {
        return "chrF" + beta;
    }

    @Override
    public String signatureFields() {
        return "case:mixed|eff:" + (epsSmoothing ? "no" : "yes") + "|nc:" + charOrder + "|nw:0|space:"
                + (whitespace ? "yes" : "no");
    }

    @Override
    public int statisticsSize() {
        return 3 * charOrder;
    }

    @Override
    public int[][] segmentStatistics(List<String> hypotheses, References references) {
        references.checkAligned(hypotheses);
        NgramIndexer indexer = new NgramIndexer();
        int[][] stats = new int[hypotheses.size()][];
        int[] hypCounts = new int[0];
        int[] refCounts = new int[0];
        for (int i = 0; i < stats.length; i++) {
            indexer.clear();
            int[][] hyp = indexer.index(codePoints(hypotheses.get(i)), charOrder);
            List<String> refs = references.get(i);
            int[][][] refNgrams = new int[refs.size()][][];
            for (int r = 0; r < refNgrams.length; r++) {
                refNgrams[r] = indexer.index(codePoints(refs.get(r)), charOrder);
            }
            if (hypCounts.length < indexer.size()) {
                hypCounts = new int[Math.max(indexer.size(), 2 * hypCounts.length)];
                refCounts = new int[hypCounts.length];
            }
            int[] best = null;
            double bestF = -1.0;
            for (int[][] ref : refNgrams) {
                int[] row = matchStatistics(hyp, ref, hypCounts, refCounts);
                double f = fScore(row);
                if (f > bestF) {
                    bestF = f;
                    best = row;
                }
            }
            stats[i] = best;
        }
        return stats;
    }

    private int[] codePoints(String segment) {
        return (whitespace ? segment : PyText.removeSpaces(segment)).codePoints().toArray();
    }

    private int[] matchStatistics(int[][] hyp, int[][] ref, int[] hypCounts, int[] refCounts) {
        int[] row = new int[statisticsSize()];
        for (int n = 0; n < charOrder; n++) {
            for (int id : ref[n]) {
                refCounts[id]++;
            }
            for (int id : hyp[n]) {
                hypCounts[id]++;
            }
            int match = 0;
            for (int id : hyp[n]) {
                if (hypCounts[id] > 0) {
                    match += Math.min(hypCounts[id], refCounts[id]);
                    hypCounts[id] = 0;
                }
            }
            for (int id : ref[n]) {
                refCounts[id] = 0;
            }
            // sacreBLEU does not count hypothesis n-grams when the reference has none of this order
            row[3 * n] = ref[n].length > 0 ? hyp[n].length : 0;
            row[3 * n + 1] = ref[n].length;
            row[3 * n + 2] = match;
        }
        return row;
    }

    @Override
    public ChrfScore scoreFromStatistics(long[] sums) {
        double[] row = new double[sums.length];
        for (int i = 0; i < sums.length; i++) {
            row[i] = sums[i];
        }
        return new ChrfScore(fScore(row), beta);
    }

    private double fScore(int[] row) {
        double[] d = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            d[i] = row[i];
        }
        return fScore(d);
    }

    /** sacreBLEU's {@code CHRF._compute_f_score}. */
    private double fScore(double[] stats) {
        double eps = 1e-16;
        double score = 0.0;
        int effectiveOrder = 0;
        double factor = (double) beta * beta;
        double avgPrec = 0.0;
        double avgRec = 0.0;
        for (int i = 0; i < charOrder; i++) {
            double nHyp = stats[3 * i];
            double nRef = stats[3 * i + 1];
            double nMatch = stats[3 * i + 2];
            double prec = nHyp > 0 ? nMatch / nHyp : eps;
            double rec = nRef > 0 ? nMatch / nRef : eps;
            double denom = factor * prec + rec;
            score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
            if (nHyp > 0 && nRef > 0) {
                avgPrec += prec;
                avgRec += rec;
                effectiveOrder++;
            }
        }
        if (epsSmoothing) {
            return 100 * score / charOrder;
        }
        if (effectiveOrder == 0) {
            avgPrec = 0.0;
            avgRec = 0.0;
        } else {
            avgPrec /= effectiveOrder;
            avgRec /= effectiveOrder;
        }
        if (avgPrec + avgRec != 0) {
            score = (1 + factor) * avgPrec * avgRec;
            score /= (factor * avgPrec) + avgRec;
            return 100 * score;
        }
        return 0.0;
    }
}

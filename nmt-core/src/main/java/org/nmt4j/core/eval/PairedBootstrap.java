package org.nmt4j.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Paired bootstrap resampling as {@code sacrebleu --paired-bs} runs it
 * ({@code sacrebleu/significance.py}, {@code _paired_bs_test} and {@code estimate_ci}): the
 * segment indices of each resample are drawn once, with {@link Pcg64} reproducing
 * {@code numpy.random.default_rng(seed).choice(n, size=(resamples, n))}, and shared by the
 * baseline and every system; each resample's score is recomputed from summed segment statistics.
 * For each system: mean and 95% interval of its resampled scores (sorted scores at n//40 and
 * n-n//40-1, half their distance), and the p-value {@code (c+1)/(resamples+1)} where c counts
 * resamples whose centred absolute difference {@code |sys-bl| - mean(|sys-bl|)} exceeds the actual
 * absolute difference. A system compared with itself therefore gets p = 1/(resamples+1), as in
 * sacreBLEU.
 *
 * <p>Differences from sacreBLEU: statistics are summed exactly in longs (sacreBLEU sums float32
 * arrays, exact up to 2^24 per column) and scores are computed in double precision (sacreBLEU
 * computes chrF resample scores, and with NumPy 2 also BLEU precisions, in float32), so means and
 * intervals can differ in the last digits; p-values differ only if a resample lands within that
 * rounding of the threshold.
 */
public final class PairedBootstrap {

    /** sacreBLEU's default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 1000;
    /** sacreBLEU's default seed ({@code SACREBLEU_SEED}). */
    public static final long DEFAULT_SEED = 12345;

    private final int resamples;
    private final long seed;

    /** A test with {@code resamples} resamples drawn from {@code default_rng(seed)}. */
    public PairedBootstrap(int resamples, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be positive: " + resamples);
        }
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be non-negative: " + seed);
        }
        this.resamples = resamples;
        this.seed = seed;
    }

    /** The number of resamples. */
    public int resamples() {
        return resamples;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The metric's signature with the bootstrap fields, e.g. {@code nrefs:1|bs:1000|seed:12345|case:...}. */
    public String signature(CorpusMetric metric, References references) {
        return "nrefs:" + references.numRefsLabel() + "|bs:" + resamples + "|seed:" + seed + "|"
                + metric.signatureFields() + "|version:" + CorpusMetric.SACREBLEU_VERSION;
    }

    /**
     * Runs the test.
     *
     * @param systems    hypotheses of each system; the first is the baseline
     * @param references the references
     * @param metrics    the metrics
     * @return {@code results.get(system).get(metric)}
     */
    public List<List<BootstrapResult>> run(List<List<String>> systems, References references,
                                           List<CorpusMetric> metrics) {
        int nSystems = systems.size();
        int nMetrics = metrics.size();
        int n = references.size();
        if (n == 0) {
            throw new IllegalArgumentException("cannot resample an empty test set");
        }
        int[][][][] stats = new int[nSystems][nMetrics][][];
        double[][] actual = new double[nSystems][nMetrics];
        for (int s = 0; s < nSystems; s++) {
            for (int m = 0; m < nMetrics; m++) {
                CorpusMetric metric = metrics.get(m);
                stats[s][m] = metric.segmentStatistics(systems.get(s), references);
                actual[s][m] = metric.scoreFromStatistics(CorpusMetric.sum(stats[s][m], metric.statisticsSize())).score();
            }
        }
        double[][][] sampled = new double[nSystems][nMetrics][resamples];
        Pcg64 rng = new Pcg64(seed);
        int[] idx = new int[n];
        for (int r = 0; r < resamples; r++) {
            rng.integers(n, idx);
            for (int s = 0; s < nSystems; s++) {
                for (int m = 0; m < nMetrics; m++) {
                    CorpusMetric metric = metrics.get(m);
                    long[] sums = new long[metric.statisticsSize()];
                    int[][] rows = stats[s][m];
                    for (int i : idx) {
                        int[] row = rows[i];
                        for (int j = 0; j < sums.length; j++) {
                            sums[j] += row[j];
                        }
                    }
                    sampled[s][m][r] = metric.scoreFromStatistics(sums).score();
                }
            }
        }
        List<List<BootstrapResult>> results = new ArrayList<>(nSystems);
        for (int s = 0; s < nSystems; s++) {
            List<BootstrapResult> row = new ArrayList<>(nMetrics);
            for (int m = 0; m < nMetrics; m++) {
                double[] ci = meanAndInterval(sampled[s][m]);
                double p = s == 0 ? Double.NaN
                        : pValue(sampled[0][m], sampled[s][m], Math.abs(actual[0][m] - actual[s][m]));
                row.add(new BootstrapResult(actual[s][m], ci[0], ci[1], p));
            }
            results.add(List.copyOf(row));
        }
        return List.copyOf(results);
    }

    /** sacreBLEU's {@code estimate_ci}: the mean and half the distance between the 2.5% and 97.5% order statistics. */
    static double[] meanAndInterval(double[] scores) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int lowerIdx = sorted.length / 40;
        int upperIdx = sorted.length - lowerIdx - 1;
        return new double[] {mean(sorted), 0.5 * (sorted[upperIdx] - sorted[lowerIdx])};
    }

    /** sacreBLEU's {@code _compute_p_value} on the centred absolute differences of the resamples. */
    static double pValue(double[] baseline, double[] system, double realDifference) {
        double[] diffs = new double[system.length];
        for (int i = 0; i < diffs.length; i++) {
            diffs[i] = Math.abs(system[i] - baseline[i]);
        }
        double mean = mean(diffs);
        int c = 0;
        for (double d : diffs) {
            if (d - mean > realDifference) {
                c++;
            }
        }
        return (c + 1.0) / (diffs.length + 1.0);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}

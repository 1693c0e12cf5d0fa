package org.nmt4j.serve.compare;

/**
 * How sparse and how spread out attention is, accumulated over the rows of many translations (a row: the weights
 * of one target piece over the source pieces, eos included):
 * <ul>
 *   <li>{@link #zeroFraction()}: the fraction of weights that are exactly 0;</li>
 *   <li>{@link #meanEntropy()}: the mean entropy of a row, in nats ({@code -Σ p log p} over its nonzero weights,
 *       {@code p = w / Σ w}: structured attention without renormalisation gives marginals that need not sum to
 *       1);</li>
 *   <li>{@link #meanSpans()}: the mean number of spans per row, a span being a maximal run of consecutive source
 *       positions with nonzero weight (softmax: always 1; structured attention: a few contiguous segments).</li>
 * </ul>
 */
public final class AttentionStatistics {

    private long rows;
    private long cells;
    private long zeros;
    private long spans;
    private double entropy;

    /** Adds the rows {@code weights[j][i]} of one translation. */
    public void add(float[][] weights) {
        for (float[] row : weights) {
            rows++;
            cells += row.length;
            double sum = 0;
            for (float w : row) {
                sum += w;
            }
            boolean inSpan = false;
            for (float w : row) {
                if (w == 0) {
                    zeros++;
                    inSpan = false;
                } else {
                    double p = w / sum;
                    entropy -= p * Math.log(p);
                    if (!inSpan) {
                        spans++;
                    }
                    inSpan = true;
                }
            }
        }
    }

    /** Rows added. */
    public long rows() {
        return rows;
    }

    /** Fraction of weights exactly 0; NaN without rows. */
    public double zeroFraction() {
        return cells == 0 ? Double.NaN : (double) zeros / cells;
    }

    /** Mean entropy of a row in nats; NaN without rows. */
    public double meanEntropy() {
        return rows == 0 ? Double.NaN : entropy / rows;
    }

    /** Mean number of spans of nonzero weights per row; NaN without rows. */
    public double meanSpans() {
        return rows == 0 ? Double.NaN : (double) spans / rows;
    }
}

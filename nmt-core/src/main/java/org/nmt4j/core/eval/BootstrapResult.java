package org.nmt4j.core.eval;

/**
 * One system's result for one metric in a paired bootstrap test (sacreBLEU's
 * {@code significance.Result}).
 *
 * @param score  the actual corpus score
 * @param mean   the mean of the resampled scores
 * @param ci     half the width of the 95% interval of the resampled scores
 * @param pValue the p-value against the baseline; NaN for the baseline itself
 */
public record BootstrapResult(double score, double mean, double ci, double pValue) {

    /** Whether this is the baseline's row (no p-value). */
    public boolean isBaseline() {
        return Double.isNaN(pValue);
    }
}

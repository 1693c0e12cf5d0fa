package org.nmt4j.attention;

import org.nmt4j.attention.dp.SmoothedMax;

/**
 * Options of the attention normalizers.
 *
 * @param gamma       temperature γ of the smoothed max (all four normalizers): softmax(s/γ), sparsemax(s/γ),
 *                    and Vit with Ω scaled by γ. Default 1, as in the authors' code, where the learned score
 *                    scale absorbs it.
 * @param renormalize structured normalizers only: divide the marginals by their sum so the weights lie on the
 *                    simplex (default false: the marginals themselves, in [0, 1], are the weights).
 */
public record NormalizerOptions(double gamma, boolean renormalize) {

    /** γ = 1, no renormalisation. */
    public static final NormalizerOptions DEFAULTS = new NormalizerOptions(1.0, false);

    public NormalizerOptions {
        SmoothedMax.checkGamma(gamma);
    }

    public NormalizerOptions withGamma(double newGamma) {
        return new NormalizerOptions(newGamma, renormalize);
    }

    public NormalizerOptions withRenormalize(boolean newRenormalize) {
        return new NormalizerOptions(gamma, newRenormalize);
    }
}

package org.nmt4j.attention.dp;

/**
 * Result of a Hessian-vector product of a DP value ({@code Vit_Ω} or {@code DTW_Ω}) along a direction Z:
 * {@code Hess · Z}, shaped like theta (zero on padding), and the directional derivatives {@code <grad, Z>}
 * of each item of the batch.
 */
public final class HessianProduct {

    private final double[] product;
    private final double[] directional;

    HessianProduct(double[] product, double[] directional) {
        this.product = product;
        this.directional = directional;
    }

    /** {@code Hess(theta) · Z}, shaped like theta (zero on padding). */
    public double[] product() {
        return product;
    }

    /** {@code <grad(theta_b), Z_b>} for each chain or grid b. */
    public double[] directional() {
        return directional;
    }
}

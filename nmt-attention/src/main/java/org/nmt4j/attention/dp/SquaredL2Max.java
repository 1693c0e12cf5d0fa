package org.nmt4j.attention.dp;

import java.util.Arrays;

/**
 * Squared-L2 smoothing Ω(q) = γ/2 ||q||²: gradient sparsemax(x/γ) (sort-based threshold with a
 * strict support test, as in the reference code), value {@code <q, x> - γ/2 ||q||²} (so a single
 * entry gives {@code x - γ/2}), Hessian (Diag(s) - s sᵀ/|s|)/γ over the support s = {q > 0}.
 */
public final class SquaredL2Max implements SmoothedMax {

    private final double gamma;

    public SquaredL2Max(double gamma) {
        this.gamma = SmoothedMax.checkGamma(gamma);
    }

    @Override
    public Regularizer regularizer() {
        return Regularizer.L2;
    }

    @Override
    public double gamma() {
        return gamma;
    }

    @Override
    public double max(double[] x, int xOff, int n, double[] q, int qOff) {
        double tau = threshold(x, xOff, n, q, qOff);
        double dot = 0;
        double sq = 0;
        for (int k = 0; k < n; k++) {
            double z = x[xOff + k] / gamma;
            double p = Math.max(z - tau, 0.0);
            q[qOff + k] = p;
            dot += p * z;
            sq += p * p;
        }
        return gamma * (dot - 0.5 * sq);
    }

    /**
     * The sparsemax threshold τ of z = x/γ, using {@code q} as scratch for the sorted values:
     * with u sorted decreasingly and c_k = u_1 + … + u_k - 1, ρ = max{k : u_k - c_k/k > 0}, τ = c_ρ/ρ.
     */
    private double threshold(double[] x, int xOff, int n, double[] q, int qOff) {
        for (int k = 0; k < n; k++) {
            q[qOff + k] = x[xOff + k] / gamma;
        }
        Arrays.sort(q, qOff, qOff + n); // ascending: the k-th largest is q[qOff + n - k]
        double cumulative = -1;
        double tau = 0;
        for (int k = 1; k <= n; k++) {
            double u = q[qOff + n - k];
            cumulative += u;
            if (u - cumulative / k > 0) {
                tau = cumulative / k;
            }
        }
        return tau;
    }

    @Override
    public double max2(double a, double b, double[] q, int qOff) {
        double za = a / gamma;
        double zb = b / gamma;
        // sparsemax of two entries: both in the support iff |za - zb| < 1.
        double qa = za - zb >= 1 ? 1.0 : zb - za >= 1 ? 0.0 : 0.5 * (1 + za - zb);
        double qb = 1.0 - qa;
        q[qOff] = qa;
        return gamma * (qa * za + qb * zb - 0.5 * (qa * qa + qb * qb));
    }

    @Override
    public double curvature2(double q0) {
        // Without a branch: for a double q0 strictly between 0 and 1, 1 - q0 is 1 or at least 2^-53, so
        // q0 (1 - q0) lies in (0, 1/4] and its ceiling is 1; at q0 = 0 or 1 it is 0.
        return Math.ceil(q0 * (1 - q0)) * (0.5 / gamma);
    }

    @Override
    public void hessianProduct(double[] q, int qOff, double[] z, int zOff, int n, double[] out, int outOff) {
        double sum = 0;
        int support = 0;
        for (int k = 0; k < n; k++) {
            if (q[qOff + k] > 0) {
                sum += z[zOff + k];
                support++;
            }
        }
        double mean = sum / support;
        for (int k = 0; k < n; k++) {
            out[outOff + k] = q[qOff + k] > 0 ? (z[zOff + k] - mean) / gamma : 0.0;
        }
    }
}

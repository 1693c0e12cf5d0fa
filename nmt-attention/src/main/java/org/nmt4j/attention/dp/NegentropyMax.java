package org.nmt4j.attention.dp;

/**
 * Negentropy smoothing Ω(q) = γ Σ q log q: value γ log Σ exp(x/γ) (max-shifted, so entries near
 * -1000 do not underflow and entries of -1e9 get weight exactly 0), gradient softmax(x/γ),
 * Hessian (Diag(q) - q qᵀ)/γ.
 */
public final class NegentropyMax implements SmoothedMax {

    private final double gamma;

    public NegentropyMax(double gamma) {
        this.gamma = SmoothedMax.checkGamma(gamma);
    }

    @Override
    public Regularizer regularizer() {
        return Regularizer.NEGENTROPY;
    }

    @Override
    public double gamma() {
        return gamma;
    }

    @Override
    public double max(double[] x, int xOff, int n, double[] q, int qOff) {
        double m = x[xOff];
        for (int k = 1; k < n; k++) {
            m = Math.max(m, x[xOff + k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double e = Math.exp((x[xOff + k] - m) / gamma);
            q[qOff + k] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int k = 0; k < n; k++) {
            q[qOff + k] *= inv;
        }
        return m + gamma * Math.log(sum);
    }

    @Override
    public double max2(double a, double b, double[] q, int qOff) {
        double e = Math.exp(-Math.abs(a - b) / gamma);
        double inv = 1.0 / (1.0 + e);
        q[qOff] = a >= b ? inv : e * inv;
        return Math.max(a, b) + gamma * Math.log(1.0 + e);
    }

    @Override
    public double curvature2(double q0) {
        return q0 * (1.0 - q0) / gamma;
    }

    @Override
    public void hessianProduct(double[] q, int qOff, double[] z, int zOff, int n, double[] out, int outOff) {
        double qz = 0;
        for (int k = 0; k < n; k++) {
            qz += q[qOff + k] * z[zOff + k];
        }
        for (int k = 0; k < n; k++) {
            out[outOff + k] = q[qOff + k] * (z[zOff + k] - qz) / gamma;
        }
    }
}

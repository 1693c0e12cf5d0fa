package org.nmt4j.attention.dp;

/** The unsmoothed max (Ω = 0): value max x, gradient one-hot at an argmax, Hessian 0. */
public final class HardMax implements SmoothedMax {

    /** How tied maxima share the gradient. */
    public enum Ties {
        /** One-hot on the first maximal index (the authors' NumPy reference). */
        FIRST,
        /** Tied maxima share the mass equally (the authors' PyTorch code). */
        UNIFORM
    }

    private final Ties ties;

    public HardMax(Ties ties) {
        this.ties = ties;
    }

    @Override
    public Regularizer regularizer() {
        return Regularizer.HARD;
    }

    @Override
    public double gamma() {
        return 1.0;
    }

    @Override
    public double max(double[] x, int xOff, int n, double[] q, int qOff) {
        int best = 0;
        double m = x[xOff];
        for (int k = 1; k < n; k++) {
            if (x[xOff + k] > m) {
                m = x[xOff + k];
                best = k;
            }
        }
        if (ties == Ties.FIRST) {
            for (int k = 0; k < n; k++) {
                q[qOff + k] = k == best ? 1.0 : 0.0;
            }
        } else {
            int count = 0;
            for (int k = 0; k < n; k++) {
                if (x[xOff + k] == m) {
                    count++;
                }
            }
            for (int k = 0; k < n; k++) {
                q[qOff + k] = x[xOff + k] == m ? 1.0 / count : 0.0;
            }
        }
        return m;
    }

    @Override
    public double max2(double a, double b, double[] q, int qOff) {
        q[qOff] = a > b || (a == b && ties == Ties.FIRST) ? 1.0 : a == b ? 0.5 : 0.0;
        return Math.max(a, b);
    }

    @Override
    public double curvature2(double q0) {
        return 0.0;
    }

    @Override
    public void hessianProduct(double[] q, int qOff, double[] z, int zOff, int n, double[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] = 0.0;
        }
    }
}

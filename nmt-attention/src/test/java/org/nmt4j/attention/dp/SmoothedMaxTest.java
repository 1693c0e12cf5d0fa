package org.nmt4j.attention.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Numerical stability, simplex membership and finite differences of the smoothed max operators. */
class SmoothedMaxTest {

    @Test
    void hugeNegativeEntriesGetExactlyZeroWeight() {
        double[] x = {0.3, -1e9, 1.2, -1e12};
        for (SmoothedMax op : new SmoothedMax[] {new NegentropyMax(1.0), new NegentropyMax(10), new SquaredL2Max(10)}) {
            double[] q = new double[4];
            op.max(x, 0, 4, q, 0);
            assertEquals(0.0, q[1], 0.0);
            assertEquals(0.0, q[3], 0.0);
            assertEquals(1.0, q[0] + q[2], 1e-15);
        }
    }

    @Test
    void entriesNearMinusThousandDoNotUnderflow() {
        double[] x = {-1000.0, -1000.5, -1001.0};
        double[] q = new double[3];
        double value = new NegentropyMax(1.0).max(x, 0, 3, q, 0);
        double expected = -1000.0 + Math.log(1 + Math.exp(-0.5) + Math.exp(-1.0));
        assertEquals(expected, value, 1e-12);
        assertEquals(1.0 / (1 + Math.exp(-0.5) + Math.exp(-1.0)), q[0], 1e-15);
    }

    @Test
    void sparsemaxOfTheIssueExample() {
        double[] q = new double[3];
        new SquaredL2Max(1.0).max(new double[] {-2, 0, 0.5}, 0, 3, q, 0);
        assertArrayEquals(new double[] {0, 0.25, 0.75}, q, 1e-15);
    }

    @Test
    void singleEntryKeepsTheRegularizerConstant() {
        double[] q = new double[1];
        assertEquals(2.0 - 0.35, new SquaredL2Max(0.7).max(new double[] {2.0}, 0, 1, q, 0), 1e-15);
        assertEquals(1.0, q[0], 0.0);
        assertEquals(2.0, new NegentropyMax(0.7).max(new double[] {2.0}, 0, 1, q, 0), 1e-15);
    }

    @Test
    void gradientsLieOnTheSimplexAndMatchFiniteDifferences() {
        Random rng = new Random(1);
        for (int n : new int[] {1, 2, 3, 7, 40}) {
            for (SmoothedMax op : new SmoothedMax[] {new NegentropyMax(0.5), new SquaredL2Max(0.5),
                                                     new NegentropyMax(3), new SquaredL2Max(3)}) {
                double[] x = new double[n];
                for (int k = 0; k < n; k++) {
                    x[k] = rng.nextGaussian() * 2;
                }
                double[] q = new double[n];
                op.max(x, 0, n, q, 0);
                double sum = 0;
                for (double v : q) {
                    assertTrue(v >= 0);
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-12);
                double[] numeric = FiniteDifferences.gradient(v -> op.max(v, 0, n, new double[n], 0), x, 1e-6);
                FiniteDifferences.assertAllClose(numeric, q, 1e-7, 1e-6, op.regularizer() + " n=" + n);
                double[] z = new double[n];
                for (int k = 0; k < n; k++) {
                    z[k] = rng.nextGaussian();
                }
                double[] hz = new double[n];
                op.hessianProduct(q, 0, z, 0, n, hz, 0);
                double[] numericHvp = FiniteDifferences.directional(v -> {
                    double[] g = new double[n];
                    op.max(v, 0, n, g, 0);
                    return g;
                }, x, z, 1e-6);
                FiniteDifferences.assertAllClose(numericHvp, hz, 1e-6, 1e-5, op.regularizer() + " hvp n=" + n);
            }
        }
    }

    @Test
    void twoEntrySparsemaxMatchesTheGeneralRule() {
        Random rng = new Random(2);
        SquaredL2Max op = new SquaredL2Max(0.9);
        for (int trial = 0; trial < 1000; trial++) {
            double[] x = {rng.nextGaussian(), rng.nextGaussian(), -1e300};
            double[] q2 = new double[2];
            double[] q3 = new double[3];
            double v2 = op.max(x, 0, 2, q2, 0);
            op.max(x, 0, 3, q3, 0);
            assertEquals(q3[0], q2[0], 1e-15);
            assertEquals(q3[1], q2[1], 1e-15);
            assertEquals(q2[0] * x[0] + q2[1] * x[1] - 0.45 * (q2[0] * q2[0] + q2[1] * q2[1]), v2, 1e-12);
        }
    }
}

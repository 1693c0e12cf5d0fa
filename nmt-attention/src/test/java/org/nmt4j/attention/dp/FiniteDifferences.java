package org.nmt4j.attention.dp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Central finite differences of scalar and vector functions, for checking analytic derivatives. */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /** The gradient of {@code f} at {@code x} by central differences with step {@code h}. */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] g = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            double saved = x[k];
            x[k] = saved + h;
            double plus = f.applyAsDouble(x);
            x[k] = saved - h;
            double minus = f.applyAsDouble(x);
            x[k] = saved;
            g[k] = (plus - minus) / (2 * h);
        }
        return g;
    }

    /** The directional derivative of a vector function {@code f} at {@code x} along {@code d}. */
    public static double[] directional(Function<double[], double[]> f, double[] x, double[] d, double h) {
        double[] plus = new double[x.length];
        double[] minus = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            plus[k] = x[k] + h * d[k];
            minus[k] = x[k] - h * d[k];
        }
        double[] fp = f.apply(plus);
        double[] fm = f.apply(minus);
        double[] out = new double[fp.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (fp[k] - fm[k]) / (2 * h);
        }
        return out;
    }

    public static void assertAllClose(double[] expected, double[] actual, double absTol, double relTol, String what) {
        assertTrue(expected.length == actual.length, what + ": lengths differ");
        for (int k = 0; k < expected.length; k++) {
            double err = Math.abs(expected[k] - actual[k]);
            assertTrue(err <= absTol + relTol * Math.abs(expected[k]),
                    what + "[" + k + "]: expected " + expected[k] + " but got " + actual[k]);
        }
    }
}

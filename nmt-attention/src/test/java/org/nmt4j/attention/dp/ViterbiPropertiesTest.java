package org.nmt4j.attention.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Brute force over all paths, finite differences, batching and bad input for {@link LinearChainViterbi}. */
class ViterbiPropertiesTest {

    private static double[] random(Random rng, int n, double scale) {
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = scale * rng.nextGaussian();
        }
        return x;
    }

    /** Score of the path y (states y[0..T-1]; step 0's predecessor is the virtual state j0). */
    private static double pathScore(double[] theta, int s, int[] y, int j0) {
        double score = 0;
        int previous = j0;
        for (int t = 0; t < y.length; t++) {
            score += theta[(t * s + y[t]) * s + previous];
            previous = y[t];
        }
        return score;
    }

    /** Calls {@code visit} with every (y, j0): S^T state sequences times S virtual start states. */
    private static void forEachPath(int length, int s, java.util.function.ObjIntConsumer<int[]> visit) {
        int[] y = new int[length];
        long total = (long) Math.pow(s, length);
        for (long code = 0; code < total; code++) {
            long c = code;
            for (int t = 0; t < length; t++) {
                y[t] = (int) (c % s);
                c /= s;
            }
            for (int j0 = 0; j0 < s; j0++) {
                visit.accept(y, j0);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1", "1,3", "4,2", "5,3", "3,4", "7,2"})
    void negentropyValueIsGammaTimesLogPartitionAndGradientIsMarginals(int length, int s) {
        Random rng = new Random(31L * length + s);
        double gamma = 0.7;
        double[] theta = random(rng, length * s * s, 1.5);
        double[] logZ = {Double.NEGATIVE_INFINITY};
        double[] marginals = new double[theta.length];
        forEachPath(length, s, (y, j0) -> logZ[0] = logAdd(logZ[0], pathScore(theta, s, y, j0) / gamma));
        forEachPath(length, s, (y, j0) -> {
            double p = Math.exp(pathScore(theta, s, y, j0) / gamma - logZ[0]);
            int previous = j0;
            for (int t = 0; t < length; t++) {
                marginals[(t * s + y[t]) * s + previous] += p;
                previous = y[t];
            }
        });
        LinearChainViterbi.Tape tape = new LinearChainViterbi(new NegentropyMax(gamma))
                .forward(theta, ChainBatch.single(length, s));
        assertEquals(gamma * logZ[0], tape.values()[0], 1e-10 * Math.max(1, Math.abs(logZ[0])));
        FiniteDifferences.assertAllClose(marginals, tape.marginals(), 1e-12, 1e-10, "marginals");
    }

    private static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    @ParameterizedTest
    @CsvSource({"1,3", "4,2", "5,3", "3,4", "8,2"})
    void hardValueIsBestPathScoreAndGradientIsBestPath(int length, int s) {
        Random rng = new Random(17L * length + s);
        double[] theta = random(rng, length * s * s, 1.0);
        double[] best = {Double.NEGATIVE_INFINITY};
        int[][] argBest = new int[1][];
        int[] bestStart = new int[1];
        forEachPath(length, s, (y, j0) -> {
            double score = pathScore(theta, s, y, j0);
            if (score > best[0]) {
                best[0] = score;
                argBest[0] = y.clone();
                bestStart[0] = j0;
            }
        });
        double[] expected = new double[theta.length];
        int previous = bestStart[0];
        for (int t = 0; t < length; t++) {
            expected[(t * s + argBest[0][t]) * s + previous] = 1.0;
            previous = argBest[0][t];
        }
        LinearChainViterbi.Tape tape = new LinearChainViterbi(new HardMax(HardMax.Ties.FIRST))
                .forward(theta, ChainBatch.single(length, s));
        assertEquals(best[0], tape.values()[0], 1e-12);
        assertArrayEquals(expected, tape.marginals(), 0.0);
    }

    @ParameterizedTest
    @CsvSource({"negentropy,1.0,1,1", "negentropy,0.5,6,2", "negentropy,2.0,4,3", "l2,1.0,6,2",
                "l2,0.3,5,3", "l2,2.0,3,4", "negentropy,1.0,9,5"})
    void gradientAndHessianMatchFiniteDifferences(String reg, double gamma, int length, int s) {
        Random rng = new Random(reg.hashCode() + 101L * length + s);
        LinearChainViterbi viterbi = new LinearChainViterbi(SmoothedMax.of(Regularizer.parse(reg), gamma));
        ChainBatch shape = ChainBatch.single(length, s);
        for (int trial = 0; trial < 5; trial++) {
            double[] theta = random(rng, shape.size(), 1.0);
            double[] direction = random(rng, shape.size(), 1.0);
            LinearChainViterbi.Tape tape = viterbi.forward(theta, shape);
            double[] numericGrad = FiniteDifferences.gradient(th -> viterbi.forward(th, shape).values()[0],
                    theta, 1e-6);
            FiniteDifferences.assertAllClose(numericGrad, tape.marginals(), 1e-7, 1e-6, reg + " gradient");
            double[] numericHvp = FiniteDifferences.directional(th -> viterbi.forward(th, shape).marginals(),
                    theta, direction, 1e-6);
            double[] hvp = viterbi.hessianProduct(tape, direction).product();
            FiniteDifferences.assertAllClose(numericHvp, hvp, 1e-6, 1e-5, reg + " hvp");
        }
    }

    @Test
    void batchOfMixedLengthsEqualsPerChainResultsAndPaddingGetsZero() {
        Random rng = new Random(5);
        int s = 3;
        int maxLength = 6;
        int[] lengths = {6, 1, 4, 2, 6, 3};
        for (Regularizer reg : Regularizer.values()) {
            LinearChainViterbi viterbi = new LinearChainViterbi(SmoothedMax.of(reg, 0.8));
            ChainBatch shape = new ChainBatch(lengths.length, maxLength, s, lengths);
            double[] theta = random(rng, shape.size(), 1.0);
            double[] direction = random(rng, shape.size(), 1.0);
            LinearChainViterbi.Tape tape = viterbi.forward(theta, shape);
            HessianProduct hvp = viterbi.hessianProduct(tape, direction);
            int cell = s * s;
            for (int b = 0; b < lengths.length; b++) {
                int n = lengths[b] * cell;
                int from = b * maxLength * cell;
                double[] own = java.util.Arrays.copyOfRange(theta, from, from + n);
                double[] ownDirection = java.util.Arrays.copyOfRange(direction, from, from + n);
                LinearChainViterbi.Tape single = viterbi.forward(own, ChainBatch.single(lengths[b], s));
                HessianProduct singleHvp = viterbi.hessianProduct(single, ownDirection);
                assertEquals(single.values()[0], tape.values()[b], 0.0, reg + " value of chain " + b);
                assertEquals(singleHvp.directional()[0], hvp.directional()[b], 0.0);
                for (int k = 0; k < maxLength * cell; k++) {
                    double expectedGrad = k < n ? single.marginals()[k] : 0.0;
                    double expectedHvp = k < n ? singleHvp.product()[k] : 0.0;
                    assertEquals(expectedGrad, tape.marginals()[from + k], 0.0, reg + " grad chain " + b);
                    assertEquals(expectedHvp, hvp.product()[from + k], 0.0, reg + " hvp chain " + b);
                }
            }
        }
    }

    @Test
    void paddingContentIsNeverRead() {
        int[] lengths = {2, 3};
        ChainBatch shape = new ChainBatch(2, 3, 2, lengths);
        double[] theta = random(new Random(9), shape.size(), 1.0);
        LinearChainViterbi viterbi = new LinearChainViterbi(new NegentropyMax(1.0));
        double before = viterbi.forward(theta, shape).values()[0];
        for (int k = 2 * 4; k < 3 * 4; k++) {
            theta[k] = Double.NaN; // padding of chain 0
        }
        assertEquals(before, viterbi.forward(theta, shape).values()[0], 0.0);
    }

    @Test
    void largeBatchRunsInParallelAndMatchesSerial() {
        int batch = 512;
        int maxLength = 40;
        int[] lengths = new int[batch];
        Random rng = new Random(77);
        for (int b = 0; b < batch; b++) {
            lengths[b] = 1 + rng.nextInt(maxLength);
        }
        ChainBatch shape = new ChainBatch(batch, maxLength, 2, lengths);
        double[] theta = random(rng, shape.size(), 2.0);
        LinearChainViterbi viterbi = new LinearChainViterbi(new SquaredL2Max(1.0));
        LinearChainViterbi.Tape tape = viterbi.forward(theta, shape);
        for (int b : new int[] {0, 255, 511}) {
            int from = b * maxLength * 4;
            double[] own = java.util.Arrays.copyOfRange(theta, from, from + lengths[b] * 4);
            assertEquals(viterbi.forward(own, ChainBatch.single(lengths[b], 2)).values()[0], tape.values()[b], 0.0);
        }
    }

    @Test
    void badInputIsRejectedWithAMessage() {
        LinearChainViterbi viterbi = new LinearChainViterbi(new NegentropyMax(1.0));
        double[] theta = new double[2 * 4];
        theta[5] = Double.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> viterbi.forward(theta, ChainBatch.single(2, 2)));
        assertTrue(nan.getMessage().contains("step 1") && nan.getMessage().contains("NaN"), nan.getMessage());
        theta[5] = Double.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> viterbi.forward(theta, ChainBatch.single(2, 2)));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new ChainBatch(2, 3, 2, new int[] {3, 0}));
        assertTrue(zero.getMessage().contains("chain 1"), zero.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> viterbi.forward(new double[7], ChainBatch.single(2, 2)));
        assertTrue(shape.getMessage().contains("expected"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ChainBatch(2, 3, 2, new int[] {3}));
        IllegalArgumentException gamma = assertThrows(IllegalArgumentException.class, () -> new NegentropyMax(0));
        assertTrue(gamma.getMessage().contains("gamma"), gamma.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SquaredL2Max(-1));
        assertThrows(IllegalArgumentException.class, () -> new SquaredL2Max(Double.NaN));
    }
}

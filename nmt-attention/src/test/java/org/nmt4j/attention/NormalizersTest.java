package org.nmt4j.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nmt4j.attention.dp.ChainBatch;
import org.nmt4j.attention.dp.FiniteDifferences;
import org.nmt4j.attention.dp.LinearChainViterbi;
import org.nmt4j.attention.dp.NegentropyMax;

/** Forward properties, exact backward (finite differences) and bad input of the four attention normalizers. */
class NormalizersTest {

    private static final int[] LENGTHS = {5, 1, 3, 5, 2};
    private static final int WIDTH = 5;

    private static double[] randomScores(Random rng, double scale) {
        double[] s = new double[LENGTHS.length * WIDTH];
        for (int k = 0; k < s.length; k++) {
            s[k] = scale * rng.nextGaussian();
        }
        return s;
    }

    private static AttentionScores scores(double[] values) {
        return new AttentionScores(values, LENGTHS.length, WIDTH, LENGTHS);
    }

    private static double loss(AttentionNormalizer n, double[] scores, double[] params, double[] c) {
        double[] w = n.forward(scores(scores), params).weights();
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            sum += c[k] * w[k];
        }
        return sum;
    }

    @ParameterizedTest
    @CsvSource({"softmax,1.0,false", "softmax,0.5,false", "sparsemax,1.0,false", "sparsemax,0.7,false",
                "struct-entropy,1.0,false", "struct-entropy,0.6,true", "struct-l2,1.0,false", "struct-l2,0.8,true"})
    void backwardMatchesFiniteDifferencesForScoresAndTransitions(String name, double gamma, boolean renormalize) {
        AttentionNormalizer n = Normalizers.create(name, new NormalizerOptions(gamma, renormalize));
        Random rng = new Random(name.hashCode() + (renormalize ? 1 : 0));
        for (int trial = 0; trial < 4; trial++) {
            double[] s = randomScores(rng, 1.0);
            double[] params = n.initialParameters();
            for (int k = 0; k < params.length; k++) {
                params[k] = 0.5 * rng.nextGaussian();
            }
            double[] c = randomScores(rng, 1.0);
            AttentionNormalizer.Forward f = n.forward(scores(s), params);
            double[] scoreGrad = new double[s.length];
            double[] paramGrad = new double[params.length];
            f.backward(c, scoreGrad, paramGrad);
            double[] numericScores = FiniteDifferences.gradient(v -> loss(n, v, params, c), s, 1e-6);
            FiniteDifferences.assertAllClose(numericScores, scoreGrad, 1e-6, 1e-5, name + " dL/ds");
            double[] numericParams = FiniteDifferences.gradient(v -> loss(n, s, v, c), params, 1e-6);
            FiniteDifferences.assertAllClose(numericParams, paramGrad, 1e-6, 1e-5, name + " dL/dA");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "sparsemax", "struct-entropy", "struct-l2"})
    void paddingGetsZeroWeightAndZeroGradientAndIsNeverRead(String name) {
        AttentionNormalizer n = Normalizers.create(name);
        double[] s = randomScores(new Random(4), 1.0);
        double[] withNaNPadding = s.clone();
        for (int r = 0; r < LENGTHS.length; r++) {
            for (int t = LENGTHS[r]; t < WIDTH; t++) {
                withNaNPadding[r * WIDTH + t] = Double.NaN;
            }
        }
        double[] params = n.initialParameters();
        AttentionNormalizer.Forward f = n.forward(scores(withNaNPadding), params);
        assertArrayEquals(n.forward(scores(s), params).weights(), f.weights(), 0.0);
        double[] upstream = new double[s.length];
        Arrays.fill(upstream, 1.3);
        double[] grad = new double[s.length];
        Arrays.fill(grad, 99);
        f.backward(upstream, grad, new double[params.length]);
        for (int r = 0; r < LENGTHS.length; r++) {
            for (int t = LENGTHS[r]; t < WIDTH; t++) {
                assertEquals(0.0, f.weights()[r * WIDTH + t], 0.0);
                assertEquals(0.0, grad[r * WIDTH + t], 0.0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "sparsemax"})
    void simplexNormalizersOutputLieOnTheSimplex(String name) {
        double[] w = Normalizers.create(name).forward(scores(randomScores(new Random(8), 3.0)), new double[0]).weights();
        for (int r = 0; r < LENGTHS.length; r++) {
            double sum = 0;
            for (int t = 0; t < LENGTHS[r]; t++) {
                assertTrue(w[r * WIDTH + t] >= 0);
                sum += w[r * WIDTH + t];
            }
            assertEquals(1.0, sum, 1e-12);
        }
    }

    @Test
    void sparsemaxOfTheIssueExample() {
        double[] w = Normalizers.create("sparsemax")
                .forward(new AttentionScores(new double[] {-2, 0, 0.5}, 1, 3, new int[] {3}), new double[0]).weights();
        assertArrayEquals(new double[] {0, 0.25, 0.75}, w, 1e-15);
    }

    @Test
    void structEntropyWeightsAreTheChainsNodeMarginals() {
        double[] s = randomScores(new Random(12), 1.0);
        double[] params = {0.3, -0.2, 0.1, 0.4};
        double[] w = Normalizers.create("struct-entropy").forward(scores(s), params).weights();
        for (int r = 0; r < LENGTHS.length; r++) {
            int length = LENGTHS[r];
            double[] theta = new double[length * 4];
            for (int t = 0; t < length; t++) {
                double score = s[r * WIDTH + t];
                for (int j = 0; j < 2; j++) {
                    theta[t * 4 + j] = t == 0 ? 0 : params[j];
                    theta[t * 4 + 2 + j] = score + (t == 0 ? 0 : params[2 + j]);
                }
            }
            LinearChainViterbi.Tape tape = new LinearChainViterbi(new NegentropyMax(1.0))
                    .forward(theta, ChainBatch.single(length, 2));
            for (int t = 0; t < length; t++) {
                assertEquals(tape.nodeMarginals()[t * 2 + 1], w[r * WIDTH + t], 1e-15);
            }
        }
    }

    @Test
    void structL2WithSmallGammaYieldsExactZerosAndEntropyDoesNot() {
        double[] s = randomScores(new Random(21), 1.0);
        NormalizerOptions sharp = NormalizerOptions.DEFAULTS.withGamma(0.1);
        double[] l2 = Normalizers.create("struct-l2", sharp).forward(scores(s), new double[4]).weights();
        double[] entropy = Normalizers.create("struct-entropy", sharp).forward(scores(s), new double[4]).weights();
        int l2Zeros = 0;
        int entropyZeros = 0;
        for (int r = 0; r < LENGTHS.length; r++) {
            for (int t = 0; t < LENGTHS[r]; t++) {
                l2Zeros += l2[r * WIDTH + t] == 0.0 ? 1 : 0;
                entropyZeros += entropy[r * WIDTH + t] == 0.0 ? 1 : 0;
                assertTrue(l2[r * WIDTH + t] >= 0 && l2[r * WIDTH + t] <= 1 + 1e-12);
            }
        }
        assertTrue(l2Zeros >= 3, "struct-l2 at gamma 0.1 gave only " + l2Zeros + " exact zeros");
        assertEquals(0, entropyZeros);
    }

    @Test
    void renormalizedStructuredWeightsSumToOneAndAllZeroRowsStayZero() {
        NormalizerOptions options = new NormalizerOptions(0.1, true);
        double[] s = randomScores(new Random(3), 1.0);
        // Row 2: all scores very negative, so the L2 chain never attends: all-zero marginals.
        // Every other row has one clearly positive score, so it attends somewhere.
        for (int r = 0; r < LENGTHS.length; r++) {
            s[r * WIDTH] = 5;
        }
        for (int t = 0; t < LENGTHS[2]; t++) {
            s[2 * WIDTH + t] = -50;
        }
        AttentionNormalizer.Forward f = Normalizers.create("struct-l2", options).forward(scores(s), new double[4]);
        double[] w = f.weights();
        for (int r = 0; r < LENGTHS.length; r++) {
            double sum = 0;
            for (int t = 0; t < LENGTHS[r]; t++) {
                sum += w[r * WIDTH + t];
            }
            assertEquals(r == 2 ? 0.0 : 1.0, sum, 1e-12, "row " + r);
        }
        double[] grad = new double[s.length];
        double[] upstream = randomScores(new Random(5), 1.0);
        f.backward(upstream, grad, new double[4]);
        for (int t = 0; t < WIDTH; t++) {
            assertEquals(0.0, grad[2 * WIDTH + t], 0.0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "sparsemax", "struct-entropy", "struct-l2"})
    void extremeScoresNeverGiveNaN(String name) {
        Random rng = new Random(99);
        for (double gamma : new double[] {0.01, 1, 10}) {
            AttentionNormalizer n = Normalizers.create(name, NormalizerOptions.DEFAULTS.withGamma(gamma));
            double[] s = new double[LENGTHS.length * WIDTH];
            for (int k = 0; k < s.length; k++) {
                s[k] = (rng.nextDouble() * 2 - 1) * 1e4;
            }
            s[0] = 1e4;
            s[1] = -1e4;
            double[] params = n.initialParameters();
            for (int k = 0; k < params.length; k++) {
                params[k] = (rng.nextDouble() * 2 - 1) * 1e4;
            }
            AttentionNormalizer.Forward f = n.forward(scores(s), params);
            double[] grad = new double[s.length];
            double[] paramGrad = new double[params.length];
            f.backward(randomScores(rng, 1.0), grad, paramGrad);
            for (int k = 0; k < s.length; k++) {
                assertTrue(Double.isFinite(f.weights()[k]), name + " weight " + k);
                assertTrue(Double.isFinite(grad[k]), name + " gradient " + k);
            }
            for (double g : paramGrad) {
                assertTrue(Double.isFinite(g));
            }
        }
    }

    @Test
    void badInputIsRejectedWithAMessage() {
        double[] s = randomScores(new Random(1), 1.0);
        s[11] = Double.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> scores(s));
        assertTrue(nan.getMessage().contains("row 2") && nan.getMessage().contains("position 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new AttentionScores(new double[10], 2, 5, new int[] {5, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> new AttentionScores(new double[10], 2, 5, new int[] {5}));
        assertThrows(IllegalArgumentException.class,
                () -> new AttentionScores(new double[9], 2, 5, new int[] {5, 4}));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Normalizers.create("entmax"));
        assertTrue(unknown.getMessage().contains("struct-l2"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NormalizerOptions(0, false));
        assertThrows(IllegalArgumentException.class,
                () -> Normalizers.create("struct-l2").forward(scores(randomScores(new Random(1), 1)), new double[3]));
        AttentionNormalizer.Forward f = Normalizers.create("softmax")
                .forward(scores(randomScores(new Random(1), 1)), new double[0]);
        double[] upstream = new double[s.length];
        upstream[0] = Double.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> f.backward(upstream, new double[s.length], new double[0]));
    }
}

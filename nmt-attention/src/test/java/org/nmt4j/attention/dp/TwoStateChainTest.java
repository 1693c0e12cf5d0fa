package org.nmt4j.attention.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TwoStateChain} equals {@link LinearChainViterbi} on the materialised attention potentials. */
class TwoStateChainTest {

    private static final SmoothedMax[] OPERATORS = {
        new NegentropyMax(1.0), new NegentropyMax(0.3), new SquaredL2Max(1.0), new SquaredL2Max(0.2),
        new HardMax(HardMax.Ties.FIRST), new HardMax(HardMax.Ties.UNIFORM)};

    @Test
    void twoEntryFastPathEqualsTheGeneralOperator() {
        Random rng = new Random(10);
        for (SmoothedMax op : OPERATORS) {
            for (int trial = 0; trial < 2000; trial++) {
                double[] x = {rng.nextGaussian() * 2, trial % 7 == 0 ? 0 : rng.nextGaussian() * 2};
                if (trial % 7 == 0) {
                    x[0] = x[1]; // ties
                }
                double[] q = new double[2];
                double value = op.max(x, 0, 2, q, 0);
                double[] q0 = new double[1];
                assertEquals(value, op.max2(x[0], x[1], q0, 0), 1e-12 * Math.max(1, Math.abs(value)));
                assertEquals(q[0], q0[0], 1e-14, op.regularizer() + " " + x[0] + " " + x[1]);
                double[] z = {rng.nextGaussian(), rng.nextGaussian()};
                double[] hz = new double[2];
                op.hessianProduct(q, 0, z, 0, 2, hz, 0);
                double c = op.curvature2(q0[0]);
                assertEquals(hz[0], c * (z[0] - z[1]), 1e-12, op.regularizer() + " q0=" + q[0] + " x=" + x[0] + "," + x[1]);
                assertEquals(hz[1], -c * (z[0] - z[1]), 1e-12);
            }
        }
    }

    @Test
    void marginalsAndGradientsEqualTheGeneralChain() {
        Random rng = new Random(11);
        int[] lengths = {7, 1, 4, 2, 7};
        int width = 7;
        int rows = lengths.length;
        for (SmoothedMax op : OPERATORS) {
            double[] scores = new double[rows * width];
            double[] cotangent = new double[rows * width];
            for (int k = 0; k < scores.length; k++) {
                scores[k] = rng.nextGaussian() * 1.5;
                cotangent[k] = rng.nextGaussian();
            }
            double[] a = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            assertEqualsGeneralChain(op, scores, width, lengths, a, cotangent, 1e-12, 1e-10, 1e-10);
        }
    }

    /**
     * The new failure modes of the fast recursions: scaled probabilities on long chains (rows 0 and 1: the
     * forward weight d passes 2^200 and is rescaled dozens of times), scores at the edge of the probability
     * recursion's range (row 2), rows beyond it that fall back to log space (row 3: scores in [-1e4, 1e4];
     * row 4: -1e9 entries, which get an attended marginal of exactly 0) next to rows that do not, in one batch.
     * On rows this long the general chain's own values grow to thousands, which costs it about 4e-8 in the
     * marginals (checked once against 60-digit arithmetic for L2 at γ = 0.2, where this chain was within 1e-15):
     * hence the tolerances.
     */
    @Test
    void longChainsAndExtremeScoresEqualTheGeneralChain() {
        Random rng = new Random(12);
        int[] lengths = {3000, 3000, 400, 400, 400, 1};
        int width = 3000;
        int rows = lengths.length;
        for (SmoothedMax op : new SmoothedMax[] {
            new NegentropyMax(1.0), new NegentropyMax(0.3), new SquaredL2Max(1.0), new SquaredL2Max(0.2)}) {
            double gamma = op.gamma();
            double[] a = {0.5 * rng.nextGaussian(), 0.5 * rng.nextGaussian(), 0.5 * rng.nextGaussian(),
                0.5 * rng.nextGaussian()};
            double spread = (Math.max(Math.max(a[0], a[1]), Math.max(a[2], a[3]))
                    - Math.min(Math.min(a[0], a[1]), Math.min(a[2], a[3]))) / gamma;
            double edge = (ProbabilityRecursion.LIMIT - 3 * spread) * gamma;
            double[] scores = new double[rows * width];
            double[] cotangent = new double[rows * width];
            for (int t = 0; t < width; t++) {
                scores[t] = 3 + rng.nextGaussian();
                scores[width + t] = 2 * rng.nextGaussian();
                scores[2 * width + t] = edge * (t % 2 == 0 ? 1 : -1) * (t % 3 == 0 ? 1 : rng.nextDouble());
                scores[3 * width + t] = (2 * rng.nextDouble() - 1) * 1e4;
                scores[4 * width + t] = t % 5 == 2 ? -1e9 : rng.nextGaussian();
                scores[5 * width + t] = rng.nextGaussian();
            }
            for (int k = 0; k < cotangent.length; k++) {
                cotangent[k] = rng.nextGaussian();
            }
            TwoStateChain.Tape tape =
                    assertEqualsGeneralChain(op, scores, width, lengths, a, cotangent, 1e-7, 1e-7, 1e-7);
            for (int t = 2; t < lengths[4]; t += 5) {
                assertEquals(0.0, tape.attended(4, t), 0.0, op.regularizer() + " -1e9 at " + t);
            }
        }
    }

    /**
     * Checks {@link TwoStateChain} against {@link LinearChainViterbi} on the materialised potentials: attended
     * marginals, score gradients and transition gradients within the given absolute tolerances.
     */
    private static TwoStateChain.Tape assertEqualsGeneralChain(SmoothedMax op, double[] scores, int width,
            int[] lengths, double[] a, double[] cotangent, double marginalTolerance, double scoreTolerance,
            double transitionTolerance) {
        int rows = lengths.length;
        // Materialise theta[r][t][i][j] and the cotangent on the marginals of state 1.
        ChainBatch shape = new ChainBatch(rows, width, 2, lengths);
        double[] theta = new double[shape.size()];
        double[] direction = new double[shape.size()];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < lengths[r]; t++) {
                int cell = (r * width + t) * 4;
                double s = scores[r * width + t];
                for (int j = 0; j < 2; j++) {
                    theta[cell + j] = t == 0 ? 0 : a[j];
                    theta[cell + 2 + j] = s + (t == 0 ? 0 : a[2 + j]);
                    direction[cell + 2 + j] = cotangent[r * width + t];
                }
            }
        }
        LinearChainViterbi general = new LinearChainViterbi(op);
        LinearChainViterbi.Tape expected = general.forward(theta, shape);
        double[] product = general.hessianProduct(expected, direction).product();

        TwoStateChain chain = new TwoStateChain(op);
        TwoStateChain.Tape tape = chain.forward(scores, rows, width, lengths, a);
        double[] scoreGradient = new double[scores.length];
        double[] transitionGradient = new double[4];
        chain.backward(tape, cotangent, scoreGradient, transitionGradient);
        double[] expectedTransitions = new double[4];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < width; t++) {
                int cell = (r * width + t) * 4;
                boolean inside = t < lengths[r];
                assertEquals(inside ? expected.nodeMarginals()[(r * width + t) * 2 + 1] : 0.0,
                        tape.attended(r, t), marginalTolerance, op.regularizer() + " marginal " + r + "," + t);
                double score = inside ? product[cell + 2] + product[cell + 3] : 0.0;
                assertEquals(score, scoreGradient[r * width + t], scoreTolerance,
                        op.regularizer() + " score gradient " + r + "," + t);
                if (inside && t > 0) {
                    for (int k = 0; k < 4; k++) {
                        expectedTransitions[k] += product[cell + k];
                    }
                }
            }
        }
        for (int k = 0; k < 4; k++) {
            assertEquals(expectedTransitions[k], transitionGradient[k], transitionTolerance, op.regularizer() + " dA" + k);
        }
        return tape;
    }
}

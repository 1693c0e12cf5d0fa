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
                            tape.attended(r, t), 1e-12, op.regularizer() + " marginal " + r + "," + t);
                    assertEquals(inside ? product[cell + 2] + product[cell + 3] : 0.0,
                            scoreGradient[r * width + t], 1e-10, op.regularizer() + " score gradient " + r + "," + t);
                    if (inside && t > 0) {
                        for (int k = 0; k < 4; k++) {
                            expectedTransitions[k] += product[cell + k];
                        }
                    }
                }
            }
            for (int k = 0; k < 4; k++) {
                assertEquals(expectedTransitions[k], transitionGradient[k], 1e-10, op.regularizer() + " dA" + k);
            }
        }
    }
}

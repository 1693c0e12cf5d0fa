package org.nmt4j.attention;

import java.util.Arrays;
import org.nmt4j.attention.dp.ChainBatch;
import org.nmt4j.attention.dp.LinearChainViterbi;
import org.nmt4j.attention.dp.Parallel;
import org.nmt4j.attention.dp.SmoothedMax;

/**
 * Structured attention (Mensch &amp; Blondel 2018, §5 of the project's DP digest): each row lays a 2-state
 * chain over its key positions (state 1 = "attended", state 0 = "not attended") and its weights are the
 * node marginals of state 1 under {@code Vit_Ω}, dense for negentropy, sparse and segment-shaped for
 * squared L2.
 *
 * <p>Potentials, with the score s_t of position t and learned transition scores A (parameters, laid out
 * {@code A[i][j]} at index {@code 2i + j}: current state i, previous state j):
 * {@code theta[t][1][j] = s_t + A[1][j]}, {@code theta[t][0][j] = A[0][j]} for t ≥ 1, and
 * {@code theta[0][1][j] = s_0}, {@code theta[0][0][j] = 0} (no transition into the first position).
 * Weights {@code a_t = Σ_j E[t][1][j]} lie in [0, 1] and need not sum to 1; with
 * {@link NormalizerOptions#renormalize()} they are divided by their sum, and a row whose marginals are all
 * exactly 0 (possible with L2) keeps all-zero weights and gets zero gradient. The backward runs the
 * chain's Hessian-vector product with cotangent {@code Z[t][1][j] = dL/da_t}.
 */
final class StructuredNormalizer implements AttentionNormalizer {

    private static final int S = 2;
    private static final int CELL = S * S;

    private final String name;
    private final LinearChainViterbi viterbi;
    private final boolean renormalize;

    StructuredNormalizer(String name, SmoothedMax max, boolean renormalize) {
        this.name = name;
        this.viterbi = new LinearChainViterbi(max);
        this.renormalize = renormalize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int parameterCount() {
        return CELL;
    }

    @Override
    public double[] initialParameters() {
        return new double[CELL];
    }

    @Override
    public Forward forward(AttentionScores scores, double[] parameters) {
        Normalizers.checkParameters(this, parameters);
        int rows = scores.rows();
        int width = scores.maxLength();
        ChainBatch shape = new ChainBatch(rows, width, S, scores.lengths());
        double[] theta = potentials(scores, parameters);
        LinearChainViterbi.Tape tape = viterbi.forward(theta, shape);
        double[] nodes = tape.nodeMarginals();
        double[] weights = new double[rows * width];
        double[] sums = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int t = 0; t < scores.length(r); t++) {
                double a = nodes[(r * width + t) * S + 1];
                weights[r * width + t] = a;
                sum += a;
            }
            sums[r] = sum;
            if (renormalize && sum > 0) {
                for (int t = 0; t < scores.length(r); t++) {
                    weights[r * width + t] /= sum;
                }
            }
        }
        return new Forward() {
            @Override
            public double[] weights() {
                return weights;
            }

            @Override
            public void backward(double[] weightGradient, double[] scoreGradient, double[] parameterGradient) {
                Normalizers.checkGradientShapes(scores, weightGradient, scoreGradient);
                double[] direction = new double[shape.size()];
                for (int r = 0; r < rows; r++) {
                    int length = scores.length(r);
                    double shift = 0;
                    double scale = 1;
                    if (renormalize) {
                        if (sums[r] == 0) {
                            continue; // all-zero attention: the weights do not move locally
                        }
                        for (int t = 0; t < length; t++) {
                            shift += weightGradient[r * width + t] * weights[r * width + t];
                        }
                        scale = 1 / sums[r];
                    }
                    for (int t = 0; t < length; t++) {
                        double g = (weightGradient[r * width + t] - shift) * scale;
                        int cell = (r * width + t) * CELL;
                        direction[cell + 2] = g;
                        direction[cell + 3] = g;
                    }
                }
                double[] product = viterbi.hessianProduct(tape, direction).product();
                for (int r = 0; r < rows; r++) {
                    int length = scores.length(r);
                    for (int t = 0; t < length; t++) {
                        int cell = (r * width + t) * CELL;
                        scoreGradient[r * width + t] = product[cell + 2] + product[cell + 3];
                        if (t > 0) {
                            for (int k = 0; k < CELL; k++) {
                                parameterGradient[k] += product[cell + k];
                            }
                        }
                    }
                    Arrays.fill(scoreGradient, r * width + length, (r + 1) * width, 0.0);
                }
            }
        };
    }

    /** The chain potentials of every row, flat {@code [rows][maxLength][2][2]}. */
    private static double[] potentials(AttentionScores scores, double[] transitions) {
        int rows = scores.rows();
        int width = scores.maxLength();
        double[] values = scores.values();
        double[] theta = new double[rows * width * CELL];
        Parallel.forRange(rows, width, Normalizers.MIN_CELLS_PER_CHUNK, (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int t = 0; t < scores.length(r); t++) {
                    int cell = (r * width + t) * CELL;
                    double s = values[r * width + t];
                    if (t == 0) {
                        theta[cell + 2] = s;
                        theta[cell + 3] = s;
                    } else {
                        theta[cell] = transitions[0];
                        theta[cell + 1] = transitions[1];
                        theta[cell + 2] = s + transitions[2];
                        theta[cell + 3] = s + transitions[3];
                    }
                }
            }
        });
        return theta;
    }
}

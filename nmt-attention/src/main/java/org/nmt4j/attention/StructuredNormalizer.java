package org.nmt4j.attention;

import org.nmt4j.attention.dp.SmoothedMax;
import org.nmt4j.attention.dp.TwoStateChain;

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
 * chain's Hessian-vector product with cotangent {@code Z[t][1][j] = dL/da_t}. The chain is
 * {@link TwoStateChain}, which equals {@code LinearChainViterbi} on these potentials without building them.
 */
final class StructuredNormalizer implements AttentionNormalizer {

    private static final int TRANSITIONS = 4;

    private final String name;
    private final TwoStateChain chain;
    private final boolean renormalize;

    StructuredNormalizer(String name, SmoothedMax max, boolean renormalize) {
        this.name = name;
        this.chain = new TwoStateChain(max);
        this.renormalize = renormalize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int parameterCount() {
        return TRANSITIONS;
    }

    @Override
    public double[] initialParameters() {
        return new double[TRANSITIONS];
    }

    @Override
    public Forward forward(AttentionScores scores, double[] parameters) {
        Normalizers.checkParameters(this, parameters);
        int rows = scores.rows();
        int width = scores.maxLength();
        TwoStateChain.Tape tape = chain.forward(scores.values(), rows, width, scores.lengths(), parameters);
        double[] marginals = tape.attendedMarginals();
        double[] sums = renormalize ? rowSums(scores, marginals) : null;
        double[] weights = renormalize ? divided(scores, marginals, sums) : marginals;
        return new Forward() {
            @Override
            public double[] weights() {
                return weights;
            }

            @Override
            public void backward(double[] weightGradient, double[] scoreGradient, double[] parameterGradient) {
                Normalizers.checkGradientShapes(scores, weightGradient, scoreGradient);
                double[] marginalGradient = renormalize ? throughRenormalization(weightGradient) : weightGradient;
                chain.backward(tape, marginalGradient, scoreGradient, parameterGradient);
            }

            /** dL/da from dL/dw for w = a / Σa; rows whose marginals are all 0 get 0. */
            private double[] throughRenormalization(double[] weightGradient) {
                double[] out = new double[weightGradient.length];
                for (int r = 0; r < rows; r++) {
                    if (sums[r] == 0) {
                        continue; // all-zero attention: the weights do not move locally
                    }
                    double shift = 0;
                    for (int t = 0; t < scores.length(r); t++) {
                        shift += weightGradient[r * width + t] * weights[r * width + t];
                    }
                    for (int t = 0; t < scores.length(r); t++) {
                        out[r * width + t] = (weightGradient[r * width + t] - shift) / sums[r];
                    }
                }
                return out;
            }
        };
    }

    private static double[] rowSums(AttentionScores scores, double[] marginals) {
        int width = scores.maxLength();
        double[] sums = new double[scores.rows()];
        for (int r = 0; r < sums.length; r++) {
            for (int t = 0; t < scores.length(r); t++) {
                sums[r] += marginals[r * width + t];
            }
        }
        return sums;
    }

    /** The marginals divided by their row sums; rows summing to 0 stay all-zero. */
    private static double[] divided(AttentionScores scores, double[] marginals, double[] sums) {
        int width = scores.maxLength();
        double[] weights = new double[marginals.length];
        for (int r = 0; r < sums.length; r++) {
            for (int t = 0; sums[r] > 0 && t < scores.length(r); t++) {
                weights[r * width + t] = marginals[r * width + t] / sums[r];
            }
        }
        return weights;
    }
}

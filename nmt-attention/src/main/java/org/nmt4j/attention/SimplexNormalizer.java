package org.nmt4j.attention;

import java.util.Arrays;
import org.nmt4j.attention.dp.Parallel;
import org.nmt4j.attention.dp.SmoothedMax;

/**
 * Softmax or sparsemax attention: each row's weights are the gradient of a smoothed max of its scores,
 * {@code softmax(s/γ)} (negentropy) or {@code sparsemax(s/γ)} (squared L2); the backward is the
 * operator's Hessian-vector product. Weights lie on the simplex.
 */
final class SimplexNormalizer implements AttentionNormalizer {

    private final String name;
    private final SmoothedMax max;

    SimplexNormalizer(String name, SmoothedMax max) {
        this.name = name;
        this.max = max;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int parameterCount() {
        return 0;
    }

    @Override
    public double[] initialParameters() {
        return new double[0];
    }

    @Override
    public Forward forward(AttentionScores scores, double[] parameters) {
        Normalizers.checkParameters(this, parameters);
        int rows = scores.rows();
        int width = scores.maxLength();
        double[] weights = new double[rows * width];
        double[] values = scores.values();
        Parallel.forRange(rows, width, Normalizers.MIN_CELLS_PER_CHUNK, (from, to) -> {
            for (int r = from; r < to; r++) {
                max.max(values, r * width, scores.length(r), weights, r * width);
            }
        });
        return new Forward() {
            @Override
            public double[] weights() {
                return weights;
            }

            @Override
            public void backward(double[] weightGradient, double[] scoreGradient, double[] parameterGradient) {
                Normalizers.checkGradientShapes(scores, weightGradient, scoreGradient);
                Parallel.forRange(rows, width, Normalizers.MIN_CELLS_PER_CHUNK, (from, to) -> {
                    for (int r = from; r < to; r++) {
                        int offset = r * width;
                        int length = scores.length(r);
                        max.hessianProduct(weights, offset, weightGradient, offset, length, scoreGradient, offset);
                        Arrays.fill(scoreGradient, offset + length, offset + width, 0.0);
                    }
                });
            }
        };
    }
}

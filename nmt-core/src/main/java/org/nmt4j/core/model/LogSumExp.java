package org.nmt4j.core.model;

/**
 * The log-normaliser of each row of a matrix of logits, {@code log Σ_j exp(x_ij)}, computed stably (the row
 * maximum is taken out first) with the sum in double. {@code x_ij − logSumExp_i} is the log-softmax of the row.
 * With Java's Vector API ({@link VectorApi}) the exponentials are float, vectorized (about 1e-7 relative, below
 * the float logits' own rounding); without it, double {@link Math#exp}, about ten times slower.
 */
public final class LogSumExp {

    private LogSumExp() {
    }

    /**
     * @param values row-major {@code [rows, columns]}, as {@link DecoderStep#logits()} reads into a {@code float[]}
     * @throws IllegalArgumentException if {@code values} does not hold {@code rows · columns} values
     */
    public static double[] rows(float[] values, int rows, int columns) {
        if (rows < 0 || columns < 1 || (long) rows * columns != values.length) {
            throw new IllegalArgumentException(values.length + " values are not " + rows + " rows of " + columns);
        }
        double[] result = new double[rows];
        for (int row = 0; row < rows; row++) {
            result[row] = VectorApi.enabled() ? VectorLogSumExp.row(values, row * columns, columns)
                    : scalarRow(values, row * columns, columns);
        }
        return result;
    }

    /** One row with scalar double arithmetic: the path without the Vector API. */
    static double scalarRow(float[] values, int from, int columns) {
        int to = from + columns;
        float max = values[from];
        for (int i = from + 1; i < to; i++) {
            if (values[i] > max) {
                max = values[i];
            }
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.exp((double) values[i] - max);
        }
        return max + Math.log(sum);
    }
}

package org.nmt4j.attention;

/**
 * A batch of attention score rows, flat row-major {@code [rows][maxLength]}: row r scores the first
 * {@code lengths[r]} key positions; the rest is padding that no normalizer reads.
 */
public final class AttentionScores {

    private final double[] values;
    private final int rows;
    private final int maxLength;
    private final int[] lengths;

    /**
     * Validates the shape, the lengths (each in {@code [1, maxLength]}) and that every score a row uses
     * is finite; the arrays are used as they are, not copied.
     */
    public AttentionScores(double[] values, int rows, int maxLength, int[] lengths) {
        if (rows < 1 || maxLength < 1) {
            throw new IllegalArgumentException("attention scores need at least one row and one position, got "
                    + rows + "x" + maxLength);
        }
        if (values.length != rows * maxLength) {
            throw new IllegalArgumentException("attention scores have " + values.length + " entries, expected "
                    + rows + "x" + maxLength + " = " + rows * maxLength);
        }
        if (lengths.length != rows) {
            throw new IllegalArgumentException("mask gives " + lengths.length + " lengths for " + rows + " rows");
        }
        for (int r = 0; r < rows; r++) {
            if (lengths[r] < 1 || lengths[r] > maxLength) {
                throw new IllegalArgumentException("row " + r + " has length " + lengths[r]
                        + "; lengths must lie in [1, " + maxLength + "] (an empty key sequence cannot be attended)");
            }
            for (int t = 0; t < lengths[r]; t++) {
                double v = values[r * maxLength + t];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("attention score of row " + r + " at position " + t
                            + " is " + v + "; scores must be finite");
                }
            }
        }
        this.values = values;
        this.rows = rows;
        this.maxLength = maxLength;
        this.lengths = lengths;
    }

    public double[] values() {
        return values;
    }

    public int rows() {
        return rows;
    }

    public int maxLength() {
        return maxLength;
    }

    public int length(int row) {
        return lengths[row];
    }

    /** The per-row lengths (not a copy: do not modify). */
    int[] lengths() {
        return lengths;
    }
}

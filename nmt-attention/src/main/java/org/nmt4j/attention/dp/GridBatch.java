package org.nmt4j.attention.dp;

/**
 * The shape of a batch of alignment grids stored in one flat row-major array {@code [batch][maxA][maxB]}:
 * grid b uses the top-left {@code lengthsA[b] x lengthsB[b]} block; the rest is padding that no operator reads.
 */
public final class GridBatch {

    private final int batch;
    private final int maxA;
    private final int maxB;
    private final int[] lengthsA;
    private final int[] lengthsB;

    /** Validates and wraps the shape; lengths are copied. */
    public GridBatch(int batch, int maxA, int maxB, int[] lengthsA, int[] lengthsB) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (lengthsA.length != batch || lengthsB.length != batch) {
            throw new IllegalArgumentException("lengths have " + lengthsA.length + " and " + lengthsB.length
                    + " entries for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengthsA[b] < 1 || lengthsA[b] > maxA || lengthsB[b] < 1 || lengthsB[b] > maxB) {
                throw new IllegalArgumentException("grid " + b + " is " + lengthsA[b] + "x" + lengthsB[b]
                        + "; sizes must lie in [1, " + maxA + "] x [1, " + maxB + "]");
            }
        }
        this.batch = batch;
        this.maxA = maxA;
        this.maxB = maxB;
        this.lengthsA = lengthsA.clone();
        this.lengthsB = lengthsB.clone();
    }

    /** A batch of one full {@code na x nb} grid. */
    public static GridBatch single(int na, int nb) {
        return new GridBatch(1, na, nb, new int[] {na}, new int[] {nb});
    }

    public int batch() {
        return batch;
    }

    public int maxA() {
        return maxA;
    }

    public int maxB() {
        return maxB;
    }

    public int lengthA(int b) {
        return lengthsA[b];
    }

    public int lengthB(int b) {
        return lengthsB[b];
    }

    /** Number of cells in the flat array: batch · maxA · maxB. */
    public int size() {
        return batch * maxA * maxB;
    }

    /** Offset of {@code theta[b][i][j]}. */
    int offset(int b, int i, int j) {
        return (b * maxA + i) * maxB + j;
    }

    /** Checks that a flat array has this shape and that every cell a grid reads is finite. */
    void checkCosts(String what, double[] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException(what + " has " + values.length + " entries, expected "
                    + batch + "x" + maxA + "x" + maxB + " = " + size());
        }
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < lengthsA[b]; i++) {
                for (int j = 0; j < lengthsB[b]; j++) {
                    double v = values[offset(b, i, j)];
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException(what + " of grid " + b + " at (" + i + ", " + j
                                + ") is " + v + "; costs must be finite");
                    }
                }
            }
        }
    }
}

package org.nmt4j.train.model;

import static org.nmt4j.core.model.FloatVectors.FLOATS;

import jdk.incubator.vector.FloatVector;

/**
 * {@code C += A B} for a few rows of {@code A} on one thread, on Java's Vector API: the recurrent product of an LSTM
 * time step ({@code [examples, units] × [units, 4 units]} and back), where OpenBLAS spends more time handing a
 * product this small to its second thread and waiting for it than computing. Rows of {@code A} and {@code C} are
 * read and written with a stride, so they may be padded. {@code B} is stored in panels of two vectors' width of
 * columns, each panel row after row ({@link #panelIndex}), so that the inner loop reads it contiguously: the
 * row-major layout of a 1,024-column matrix put every row of a panel in the same cache set (30% slower). Blocks of
 * four rows by two vectors keep eight accumulators in registers along the depth.
 */
final class VectorMatrixProduct {

    private static final int LANES = FLOATS.length();
    private static final int PANEL = 2 * LANES;

    private VectorMatrixProduct() {
    }

    /**
     * Where element {@code (k, column)} of a {@code [depth, columns]} matrix {@code B} goes in its panel layout (an
     * array of {@code depth · columns} values): panels of {@code 2 · lanes} columns (the last one narrower), each
     * stored row by row.
     */
    static int panelIndex(int k, int column, int depth, int columns) {
        int panelStart = column - column % PANEL;
        return panelStart * depth + k * Math.min(PANEL, columns - panelStart) + column - panelStart;
    }

    /**
     * {@code c[cOffset + i·cStride + j] += Σ_k a[aOffset + i·aStride + k] · B[k, j]} for {@code i < rows},
     * {@code j < columns}, {@code k < depth}, with {@code B} in the {@link #panelIndex panel layout}.
     *
     * @throws IllegalArgumentException if {@code columns} is not a multiple of the vector length
     */
    static void multiplyAdd(float[] a, int aOffset, int aStride, int rows, float[] panels, int depth, int columns,
                            float[] c, int cOffset, int cStride) {
        if (columns % LANES != 0) {
            throw new IllegalArgumentException(columns + " columns are not a multiple of " + LANES);
        }
        int column = 0;
        for (; column + PANEL <= columns; column += PANEL) {
            int panel = column * depth;
            int row = 0;
            for (; row + 4 <= rows; row += 4) {
                fourRowsTwoVectors(a, aOffset + row * aStride, aStride, panels, panel, depth, c,
                        cOffset + row * cStride + column, cStride);
            }
            for (; row < rows; row++) {
                oneRow(a, aOffset + row * aStride, panels, panel, PANEL, depth, c, cOffset + row * cStride + column);
                oneRow(a, aOffset + row * aStride, panels, panel + LANES, PANEL, depth, c,
                        cOffset + row * cStride + column + LANES);
            }
        }
        if (column < columns) { // a last panel of one vector
            for (int row = 0; row < rows; row++) {
                oneRow(a, aOffset + row * aStride, panels, column * depth, LANES, depth, c,
                        cOffset + row * cStride + column);
            }
        }
    }

    private static void fourRowsTwoVectors(float[] a, int a0, int aStride, float[] panels, int panel, int depth,
                                           float[] c, int c0, int cStride) {
        FloatVector s00 = FloatVector.zero(FLOATS);
        FloatVector s01 = FloatVector.zero(FLOATS);
        FloatVector s10 = FloatVector.zero(FLOATS);
        FloatVector s11 = FloatVector.zero(FLOATS);
        FloatVector s20 = FloatVector.zero(FLOATS);
        FloatVector s21 = FloatVector.zero(FLOATS);
        FloatVector s30 = FloatVector.zero(FLOATS);
        FloatVector s31 = FloatVector.zero(FLOATS);
        int a1 = a0 + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        for (int k = 0, bk = panel; k < depth; k++, bk += PANEL) {
            FloatVector b0 = FloatVector.fromArray(FLOATS, panels, bk);
            FloatVector b1 = FloatVector.fromArray(FLOATS, panels, bk + LANES);
            FloatVector x = FloatVector.broadcast(FLOATS, a[a0 + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(FLOATS, a[a1 + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(FLOATS, a[a2 + k]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            x = FloatVector.broadcast(FLOATS, a[a3 + k]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
        }
        addInto(c, c0, s00, s01);
        addInto(c, c0 + cStride, s10, s11);
        addInto(c, c0 + 2 * cStride, s20, s21);
        addInto(c, c0 + 3 * cStride, s30, s31);
    }

    /** One row times one vector of columns, read from {@code panels[start + k · panelWidth]}. */
    private static void oneRow(float[] a, int a0, float[] panels, int start, int panelWidth, int depth, float[] c,
                               int c0) {
        FloatVector sum = FloatVector.zero(FLOATS);
        for (int k = 0, bk = start; k < depth; k++, bk += panelWidth) {
            sum = FloatVector.fromArray(FLOATS, panels, bk).fma(FloatVector.broadcast(FLOATS, a[a0 + k]), sum);
        }
        FloatVector.fromArray(FLOATS, c, c0).add(sum).intoArray(c, c0);
    }

    private static void addInto(float[] c, int c0, FloatVector first, FloatVector second) {
        FloatVector.fromArray(FLOATS, c, c0).add(first).intoArray(c, c0);
        FloatVector.fromArray(FLOATS, c, c0 + LANES).add(second).intoArray(c, c0 + LANES);
    }
}

package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nmt4j.core.model.FloatVectors;

/**
 * {@link VectorMatrixProduct} against the triple loop in double, with strides, offsets and every kind of remainder,
 * and its panel layout as a one-to-one map.
 */
class VectorMatrixProductTest {

    private static final int LANES = FloatVectors.FLOATS.length();

    private static float[] random(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** Row-major {@code b} in the panel layout; fails unless every element gets a place of its own. */
    private static float[] panels(float[] b, int depth, int columns) {
        float[] panels = new float[depth * columns];
        boolean[] taken = new boolean[panels.length];
        for (int k = 0; k < depth; k++) {
            for (int j = 0; j < columns; j++) {
                int index = VectorMatrixProduct.panelIndex(k, j, depth, columns);
                assertFalse(taken[index], "panel index " + index + " taken twice");
                taken[index] = true;
                panels[index] = b[k * columns + j];
            }
        }
        return panels;
    }

    @Test
    void addsTheProductToTheGivenRowsOnly() {
        Random random = new Random(1);
        // rows: below, at and between the 4-row blocks; columns: one vector, two, three (a block and a remainder)
        for (int rows : new int[] {1, 3, 4, 7, 9}) {
            for (int columns : new int[] {LANES, 2 * LANES, 3 * LANES}) {
                for (int depth : new int[] {1, 5, 37}) {
                    int aOffset = 3;
                    int aStride = depth + 2;
                    int cOffset = 5;
                    int cStride = columns + LANES;
                    float[] a = random(random, aOffset + rows * aStride);
                    float[] b = random(random, depth * columns);
                    float[] c = random(random, cOffset + rows * cStride + 7);
                    float[] before = c.clone();
                    VectorMatrixProduct.multiplyAdd(a, aOffset, aStride, rows, panels(b, depth, columns), depth,
                            columns, c, cOffset, cStride);
                    for (int index = 0; index < c.length; index++) {
                        int i = (index - cOffset) / cStride;
                        int j = (index - cOffset) % cStride;
                        double expected = before[index];
                        if (index >= cOffset && i < rows && j < columns) {
                            for (int k = 0; k < depth; k++) {
                                expected += (double) a[aOffset + i * aStride + k] * b[k * columns + j];
                            }
                        }
                        assertEquals(expected, c[index], 1e-5 * Math.max(1, Math.abs(expected)),
                                rows + "x" + depth + "x" + columns + ", element " + index);
                    }
                }
            }
        }
    }

    @Test
    void refusesColumnsThatAreNotWholeVectors() {
        assertThrows(IllegalArgumentException.class, () -> VectorMatrixProduct.multiplyAdd(new float[4], 0, 2, 2,
                new float[2 * (LANES + 1)], 2, LANES + 1, new float[2 * (LANES + 1)], 0, LANES + 1));
    }
}

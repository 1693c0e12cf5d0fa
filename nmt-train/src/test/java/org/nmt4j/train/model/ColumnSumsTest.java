package org.nmt4j.train.model;

import org.nmt4j.core.model.NativeFloats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nmt4j.core.model.VectorApi;

/** {@link ColumnSums} against sums in double, on the Vector API path and on ND4J's. */
class ColumnSumsTest {

    private static void assertColumnSums(INDArray matrix) {
        INDArray expected = matrix.castTo(DataType.DOUBLE).sum(0);
        INDArray result = Nd4j.create(matrix.dataType(), 1, matrix.columns());
        ColumnSums.into(matrix, result);
        for (int j = 0; j < matrix.columns(); j++) {
            assertEquals(expected.getDouble(j), result.getDouble(0, j), 1e-5 * Math.max(1,
                    Math.abs(expected.getDouble(j))), matrix.rows() + "x" + matrix.columns() + ", column " + j);
        }
    }

    @Test
    void sumsTheColumnsOfFloatMatrices() {
        assertTrue(VectorApi.enabled(), "the tests run with --add-modules jdk.incubator.vector (root pom.xml)");
        Nd4j.getRandom().setSeed(1);
        for (int[] shape : new int[][] {{5, 7}, {1, 16}, {37, 17}, {300, 8003}}) {
            INDArray matrix = Nd4j.randn(DataType.FLOAT, shape[0], shape[1]).muli(10);
            assertTrue(NativeFloats.accessible(matrix));
            assertColumnSums(matrix);
        }
    }

    @Test
    void viewsAndDoubleTakeNd4jsSum() {
        Nd4j.getRandom().setSeed(2);
        INDArray view = Nd4j.randn(DataType.FLOAT, 40, 33).get(NDArrayIndex.interval(3, 30), NDArrayIndex.all());
        assertTrue(!NativeFloats.accessible(view));
        assertColumnSums(view);
        assertColumnSums(Nd4j.randn(DataType.DOUBLE, 20, 9));
    }
}

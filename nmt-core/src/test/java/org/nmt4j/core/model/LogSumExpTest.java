package org.nmt4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LogSumExp}: its exponentials are float on the Vector API, so results are compared to about 1e-7. */
class LogSumExpTest {

    private static final double FLOAT_EXP = 2e-7;

    @Test
    void matchesTheDefinitionRowByRow() {
        Random random = new Random(3);
        int rows = 4;
        int columns = 37;
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 4);
        }
        double[] result = LogSumExp.rows(values, rows, columns);
        for (int row = 0; row < rows; row++) {
            double sum = 0;
            for (int j = 0; j < columns; j++) {
                sum += Math.exp(values[row * columns + j]);
            }
            assertEquals(Math.log(sum), result[row], FLOAT_EXP * Math.abs(result[row]) + 1e-12, "row " + row);
        }
    }

    /** exp(1000) overflows a double: the maximum must be taken out before exponentiating. */
    @Test
    void largeAndVeryNegativeLogitsStayFinite() {
        float[] values = {1000f, 999f, -1e30f, 1000f, -1000f, -1001f, -1e30f, -1000f};
        double[] result = LogSumExp.rows(values, 2, 4);
        // log(2e^1000 + e^999) = 1000 + log(2 + 1/e); the -1e30 entry adds nothing.
        assertEquals(1000 + Math.log(2 + Math.exp(-1)), result[0], 1e-9);
        assertEquals(-1000 + Math.log(2 + Math.exp(-1)), result[1], 1e-9);
        assertTrue(Double.isFinite(result[0]) && Double.isFinite(result[1]));
    }

    @Test
    void logSoftmaxRowsSumToOne() {
        float[] values = {0.5f, -2f, 3f, 0f, 0f, 0f};
        double[] result = LogSumExp.rows(values, 2, 3);
        for (int row = 0; row < 2; row++) {
            double total = 0;
            for (int j = 0; j < 3; j++) {
                total += Math.exp(values[row * 3 + j] - result[row]);
            }
            assertEquals(1, total, FLOAT_EXP);
        }
        assertEquals(Math.log(3), result[1], FLOAT_EXP);
    }

    /**
     * The Vector API path (whole vectors, then a scalar tail) against the scalar double path, for rows shorter
     * than a vector, of exactly one, one longer, and of a vocabulary's size.
     */
    @Test
    void vectorAndScalarPathsAgree() {
        assertTrue(VectorApi.enabled(), "the tests run with --add-modules jdk.incubator.vector (root pom.xml)");
        Random random = new Random(5);
        for (int columns : new int[] {1, 7, 8, 9, 15, 16, 17, 8003}) {
            float[] values = new float[2 * columns];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * 8 - 30);
            }
            double[] result = LogSumExp.rows(values, 2, columns);
            for (int row = 0; row < 2; row++) {
                double scalar = LogSumExp.scalarRow(values, row * columns, columns);
                assertEquals(scalar, result[row], FLOAT_EXP * Math.abs(scalar), columns + " columns, row " + row);
            }
        }
    }

    @Test
    void aShapeThatDoesNotFitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSumExp.rows(new float[7], 2, 4));
        assertEquals("7 values are not 2 rows of 4", e.getMessage());
    }
}

package org.nmt4j.train.model;

import static org.nmt4j.core.model.FloatVectors.DOUBLES;
import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.PARTS;
import static org.nmt4j.core.model.FloatVectors.load;

import java.nio.FloatBuffer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link ColumnSums} on Java's Vector API: each row copied to a Java array and added, in double, to the sums of its
 * part of the rows ({@link RowParts}); the parts' sums are added at the end.
 */
final class VectorColumnSums {

    private VectorColumnSums() {
    }

    /** The column sums of a C-order {@code [rows, columns]} matrix, the rows shared between the cores. */
    static float[] of(FloatBuffer values, int rows, int columns) {
        double[][] partSums = new double[RowParts.count(rows)][];
        RowParts.forEach(rows, (part, from, to) -> partSums[part] = sums(values, from, to, columns));
        float[] result = new float[columns];
        for (int i = 0; i < columns; i++) {
            double sum = 0;
            for (double[] sums : partSums) {
                sum += sums[i];
            }
            result[i] = (float) sum;
        }
        return result;
    }

    /** The column sums of rows {@code [from, to)}, in double. */
    private static double[] sums(FloatBuffer values, int from, int to, int columns) {
        float[] row = new float[columns];
        double[] sums = new double[columns];
        int vectorEnd = FLOATS.loopBound(columns);
        for (int r = from; r < to; r++) {
            values.get(r * columns, row, 0, columns);
            for (int i = 0; i < vectorEnd; i += FLOATS.length()) {
                FloatVector rowValues = load(row, i);
                for (int part = 0; part < PARTS; part++) {
                    int at = i + part * DOUBLES.length();
                    DoubleVector.fromArray(DOUBLES, sums, at)
                            .add(rowValues.convertShape(VectorOperators.F2D, DOUBLES, part))
                            .intoArray(sums, at);
                }
            }
            for (int i = vectorEnd; i < columns; i++) {
                sums[i] += row[i];
            }
        }
        return sums;
    }
}

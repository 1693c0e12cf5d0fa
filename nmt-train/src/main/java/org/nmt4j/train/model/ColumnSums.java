package org.nmt4j.train.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.model.NativeFloats;
import org.nmt4j.core.model.VectorApi;

/**
 * Column sums of a matrix (the bias gradients of the output layer and the LSTMs), written into a given array. ND4J's
 * {@code sum} along rows of a C-order matrix takes about 6 ns per value; in float with Java's Vector API the rows
 * are added up in double by {@link VectorColumnSums}, several times faster.
 */
final class ColumnSums {

    private ColumnSums() {
    }

    /** {@code result = Σ_rows matrix}, {@code result} of {@code columns} values in any shape. */
    static void into(INDArray matrix, INDArray result) {
        if (matrix.dataType() == DataType.FLOAT && VectorApi.enabled() && NativeFloats.accessible(matrix)) {
            float[] sums = VectorColumnSums.of(NativeFloats.of(matrix), Math.toIntExact(matrix.rows()),
                    Math.toIntExact(matrix.columns()));
            result.assign(Nd4j.createFromArray(sums).reshape(result.shape()));
        } else {
            matrix.sum(result, 0);
        }
    }
}

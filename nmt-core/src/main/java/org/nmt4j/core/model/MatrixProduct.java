package org.nmt4j.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products written by the GEMM straight into a c-order result. ND4J's {@code INDArray.mmul} gives a
 * c-order result for c-order operands by letting the GEMM write an f-order temporary and copying it, transposed,
 * into the result: for the output layer of a beam step that copy is as large as the logits.
 */
public final class MatrixProduct {

    private MatrixProduct() {
    }

    /** {@code a b}, c order. */
    public static INDArray of(INDArray a, INDArray b) {
        INDArray result = Nd4j.createUninitialized(a.dataType(), new long[] {a.rows(), b.columns()}, 'c');
        return Nd4j.gemm(a, b, result, false, false, 1.0, 0.0);
    }

    /** {@code sum += a b}; {@code sum} must be a c- or f-order array that is not a view. */
    public static INDArray addTo(INDArray sum, INDArray a, INDArray b) {
        return Nd4j.gemm(a, b, sum, false, false, 1.0, 1.0);
    }
}

package org.nmt4j.core.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Java access to the memory of ND4J float arrays, for the loops written on Java's Vector API. */
public final class NativeFloats {

    private NativeFloats() {
    }

    /** Whether {@link #of} accepts the array: {@link #contiguous} in C order. */
    public static boolean accessible(INDArray array) {
        return contiguous(array) && array.ordering() == 'c';
    }

    /** Whether the array holds floats contiguously in its memory order (C or F) from the start of its buffer. */
    public static boolean contiguous(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.elementWiseStride() == 1 && array.offset() == 0
                && array.data().offset() == 0;
    }

    /**
     * The values of a C-order, contiguous float array that starts its buffer (not a view into the middle of
     * another array), indexed from its first element in C order.
     */
    public static FloatBuffer of(INDArray array) {
        if (!accessible(array)) {
            throw new IllegalArgumentException("expected a contiguous C-order float array at the start of its "
                    + "buffer, got " + array.shapeInfoToString());
        }
        return array.data().asNioFloat();
    }

    /**
     * The memory of a {@link #contiguous} float array, in its memory order (C or F, its {@code ordering()}), to
     * read or write.
     */
    public static FloatBuffer memory(INDArray array) {
        if (!contiguous(array)) {
            throw new IllegalArgumentException("expected a contiguous float array at the start of its buffer, got "
                    + array.shapeInfoToString());
        }
        return array.data().asNioFloat();
    }

    /**
     * The values of a float array in the memory order of the array, C or F (its {@code ordering()}): the
     * {@link #memory} of the array where it is {@link #contiguous}, else of a contiguous copy in the same order.
     */
    public static FloatBuffer inMemoryOrder(INDArray array) {
        return memory(contiguous(array) ? array : array.dup(array.ordering()));
    }

    /**
     * The values of a float array in C order: {@link #of} the array, or of a C-order copy where it does not
     * qualify ({@link #accessible}).
     */
    public static FloatBuffer read(INDArray array) {
        return of(accessible(array) ? array : array.dup('c'));
    }
}

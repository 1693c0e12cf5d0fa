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

    /** Whether {@link #view} accepts the array: float values lying contiguously in memory, wherever they start. */
    public static boolean viewable(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.elementWiseStride() == 1
                && array.data().asNioFloat().capacity() >= array.offset() + array.length();
    }

    /**
     * The values of a contiguous float array or view, such as DL4J's gradient and updater-state views, in memory
     * order.
     */
    public static View view(INDArray array) {
        if (!viewable(array)) {
            throw new IllegalArgumentException("expected contiguous float values, got " + array.shapeInfoToString());
        }
        return new View(array.data().asNioFloat(), Math.toIntExact(array.offset()));
    }

    /**
     * Where a {@link #view}'s values lie: ND4J's {@code asNioFloat()} of a view's buffer starts at the first element
     * of the whole allocation, and the view's values at its {@code offset()}.
     *
     * @param memory the whole allocation
     * @param start  the index of the first value in {@code memory}
     */
    public record View(FloatBuffer memory, int start) {

        /** Copies {@code length} values from value {@code from} on into {@code into}. */
        public void get(int from, float[] into, int length) {
            memory.get(start + from, into, 0, length);
        }

        /** Writes the first {@code length} of {@code values} from value {@code from} on. */
        public void put(int from, float[] values, int length) {
            memory.put(start + from, values, 0, length);
        }
    }
}

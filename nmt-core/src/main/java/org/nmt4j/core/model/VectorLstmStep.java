package org.nmt4j.core.model;

import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.load;
import static org.nmt4j.core.model.FloatVectors.sigmoid;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The element-wise part of an LSTM time step (DL4J's gate order: candidate {@code a}, forget {@code f}, output
 * {@code o}, input {@code g}; {@code c = f c_prev + g a}, {@code h = o tanh(c)}) in float on Java's Vector API,
 * whose {@code exp} and {@code tanh} are vectorized: about ten times faster than ND4J's eight element-wise calls
 * per step. Rows live in Java arrays padded to {@link #width} values per gate or state, a multiple of the vector
 * length, so that every loop runs over whole vectors. Used by the decoder step here and by nmt-train's LSTM layer;
 * loaded only where {@link VectorApi#enabled()}.
 */
public final class VectorLstmStep {

    /** Gates per row, each {@code width} values, at these positions: candidate, forget, output, input. */
    public static final int GATES = 4;
    public static final int CANDIDATE = 0;
    public static final int FORGET = 1;
    public static final int OUTPUT = 2;
    public static final int INPUT = 3;

    private VectorLstmStep() {
    }

    /** The padded width of {@code units} values: the next multiple of the vector length. */
    public static int width(int units) {
        return (units + FLOATS.length() - 1) / FLOATS.length() * FLOATS.length();
    }

    /**
     * One row: the gate pre-activations at {@code gates[gateBase …]} are replaced by their activations, and the
     * cell, its {@code tanh} and the output are written at the given positions.
     *
     * @param previousBase where the previous cell starts in {@code previousCells}, or -1 for the zero state
     */
    public static void row(int width, float[] gates, int gateBase, float[] previousCells, int previousBase,
                           float[] cells, int cellBase, float[] cellTanhs, int tanhBase, float[] outputs,
                           int outputBase) {
        for (int j = 0; j < width; j += FLOATS.length()) {
            FloatVector candidate = load(gates, gateBase + CANDIDATE * width + j).lanewise(VectorOperators.TANH);
            FloatVector forget = sigmoid(load(gates, gateBase + FORGET * width + j));
            FloatVector output = sigmoid(load(gates, gateBase + OUTPUT * width + j));
            FloatVector input = sigmoid(load(gates, gateBase + INPUT * width + j));
            candidate.intoArray(gates, gateBase + CANDIDATE * width + j);
            forget.intoArray(gates, gateBase + FORGET * width + j);
            output.intoArray(gates, gateBase + OUTPUT * width + j);
            input.intoArray(gates, gateBase + INPUT * width + j);
            FloatVector cell = input.mul(candidate);
            if (previousBase >= 0) {
                cell = forget.fma(load(previousCells, previousBase + j), cell);
            }
            FloatVector cellTanh = cell.lanewise(VectorOperators.TANH);
            cell.intoArray(cells, cellBase + j);
            cellTanh.intoArray(cellTanhs, tanhBase + j);
            output.mul(cellTanh).intoArray(outputs, outputBase + j);
        }
    }

    /**
     * A decoder step's new {@code {h, c}} ({@code [n, units]} each) from the gate pre-activations {@code z}
     * ({@code [n, 4 units]}, C order, its own buffer) and the previous cell {@code c [n, units]}.
     */
    static INDArray[] step(INDArray z, INDArray c, int units) {
        int n = Math.toIntExact(z.rows());
        int width = width(units);
        float[] gates = new float[n * GATES * width];
        float[] previousCells = new float[n * width];
        float[] cells = new float[n * width];
        float[] cellTanhs = new float[n * width];
        float[] outputs = new float[n * width];
        copyIn(NativeFloats.of(z), gates, n * GATES, units, width);
        copyIn(NativeFloats.read(c), previousCells, n, units, width);
        for (int row = 0; row < n; row++) {
            row(width, gates, row * GATES * width, previousCells, row * width, cells, row * width, cellTanhs,
                    row * width, outputs, row * width);
        }
        return new INDArray[] {unpadded(outputs, n, units, width), unpadded(cells, n, units, width)};
    }

    /** Copies {@code count} contiguous segments of {@code units} values into padded Java rows. */
    public static void copyIn(FloatBuffer from, int fromIndex, float[] to, int toSegment, int count, int units,
                              int width) {
        for (int i = 0; i < count; i++) {
            from.get(fromIndex + i * units, to, (toSegment + i) * width, units);
        }
    }

    /** Copies {@code count} padded Java rows, without their padding, to contiguous segments. */
    public static void copyOut(float[] from, int fromSegment, FloatBuffer to, int toIndex, int count, int units,
                               int width) {
        for (int i = 0; i < count; i++) {
            to.put(toIndex + i * units, from, (fromSegment + i) * width, units);
        }
    }

    private static void copyIn(FloatBuffer from, float[] to, int count, int units, int width) {
        copyIn(from, 0, to, 0, count, units, width);
    }

    private static INDArray unpadded(float[] padded, int n, int units, int width) {
        INDArray result = Nd4j.createUninitialized(DataType.FLOAT, n, units);
        copyOut(padded, 0, NativeFloats.of(result), 0, n, units, width);
        return result;
    }
}

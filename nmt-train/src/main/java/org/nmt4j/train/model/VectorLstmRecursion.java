package org.nmt4j.train.model;

import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.load;
import static org.nmt4j.core.model.VectorLstmStep.CANDIDATE;
import static org.nmt4j.core.model.VectorLstmStep.FORGET;
import static org.nmt4j.core.model.VectorLstmStep.GATES;
import static org.nmt4j.core.model.VectorLstmStep.INPUT;
import static org.nmt4j.core.model.VectorLstmStep.OUTPUT;

import java.nio.FloatBuffer;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nmt4j.core.model.NativeFloats;
import org.nmt4j.core.model.VectorLstmStep;

/**
 * The LSTM recursion in float precision on Java's Vector API: the gates, cell and output of a time step in one pass
 * (nmt-core's {@link VectorLstmStep}; the backward step here) and the recurrent product with {@code RW} (or its
 * transpose) by {@link VectorMatrixProduct}, over Java arrays; per time step and pass, two copies between them and
 * the ND4J arrays. The examples of a batch are independent, so they are shared between the cores ({@link RowParts})
 * and each part runs through all time steps without waiting for the others. The activated gates, cells and their
 * {@code tanh} of all time steps stay in Java arrays for the backward pass. Loading this class needs the JVM option
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorLstmRecursion implements LstmRecursion {

    /** The fewest examples worth a thread of their own. */
    static final int MIN_EXAMPLES = 8;

    /**
     * Java arrays with every row of {@code units} values padded to {@link #width} (a multiple of the vector length),
     * so that the loops run over whole vectors only; padding is never copied back.
     */
    private float[] gates = new float[0];
    private float[] cells = new float[0];
    private float[] cellTanhs = new float[0];
    private float[] stepValues = new float[0];
    private float[] stepGateGradients = new float[0];
    private float[] cellGradients = new float[0];
    /**
     * {@code RW} as the right-hand matrix of the forward step's product, and its transpose for the backward step, in
     * {@link VectorMatrixProduct}'s panel layout.
     */
    private float[] recurrent = new float[0];
    private float[] recurrentTransposed = new float[0];
    private int width;

    @Override
    public void forward(INDArray z, INDArray h, INDArray recurrentWeights, long batch, long units) {
        int rows = Math.toIntExact(z.rows());
        int stepRows = Math.toIntExact(batch);
        int size = Math.toIntExact(units);
        allocate(rows, stepRows, size);
        recurrent = packed(recurrent, recurrentWeights, size, false);
        FloatBuffer zValues = NativeFloats.of(z);
        FloatBuffer hValues = NativeFloats.of(h);
        RowParts.forEach(stepRows, MIN_EXAMPLES, (part, from, to) -> {
            for (int t = 0; t < rows / stepRows; t++) {
                int first = t * stepRows;
                VectorLstmStep.copyIn(zValues, (first + from) * GATES * size, gates, (first + from) * GATES,
                        (to - from) * GATES, size, width);
                if (t > 0) { // stepValues holds h of the previous step
                    VectorMatrixProduct.multiplyAdd(stepValues, from * width, width, to - from, recurrent, size,
                            GATES * width, gates, (first + from) * GATES * width, GATES * width);
                }
                for (int row = first + from; row < first + to; row++) {
                    VectorLstmStep.row(width, gates, row * GATES * width, cells,
                            t > 0 ? (row - stepRows) * width : -1, cells, row * width, cellTanhs, row * width,
                            stepValues, (row - first) * width);
                }
                VectorLstmStep.copyOut(stepValues, from, hValues, (first + from) * size, to - from, size, width);
            }
        });
    }

    @Override
    public void backward(INDArray dh, INDArray dz, INDArray recurrentWeights, long batch, long units) {
        int rows = Math.toIntExact(dh.rows());
        int stepRows = Math.toIntExact(batch);
        int size = Math.toIntExact(units);
        int steps = rows / stepRows;
        recurrentTransposed = packed(recurrentTransposed, recurrentWeights, size, true);
        FloatBuffer dhValues = NativeFloats.of(dh);
        FloatBuffer dzValues = NativeFloats.of(dz);
        RowParts.forEach(stepRows, MIN_EXAMPLES, (part, from, to) -> {
            for (int t = steps - 1; t >= 0; t--) {
                int first = t * stepRows;
                VectorLstmStep.copyIn(dhValues, (first + from) * size, stepValues, from, to - from, size, width);
                if (t < steps - 1) { // stepGateGradients holds the gate gradients of the next step
                    VectorMatrixProduct.multiplyAdd(stepGateGradients, from * GATES * width, GATES * width,
                            to - from, recurrentTransposed, GATES * width, width, stepValues, from * width, width);
                }
                for (int row = first + from; row < first + to; row++) {
                    backwardRow(row, t > 0 ? row - stepRows : -1, t < steps - 1 ? row + stepRows : -1, row - first);
                }
                VectorLstmStep.copyOut(stepGateGradients, from * GATES, dzValues, (first + from) * GATES * size,
                        (to - from) * GATES, size, width);
            }
        });
    }

    /**
     * {@code RW [units, 4 units]} as the right-hand matrix of the forward product, {@code [units, 4 width]}, or of
     * the backward product ({@code transposed}: {@code RW^T}, {@code [4 width, width]}), in
     * {@link VectorMatrixProduct}'s panel layout, each gate's {@code units} padded to {@link #width} with zeros;
     * reuses {@code memory} where it is large enough.
     */
    private float[] packed(float[] memory, INDArray recurrentWeights, int units, boolean transposed) {
        float[] values = valuesOf(recurrentWeights);
        int depth = transposed ? GATES * width : units;
        int columns = transposed ? width : GATES * width;
        float[] panels = zeroed(memory, depth * columns);
        for (int k = 0; k < units; k++) {
            for (int gate = 0; gate < GATES; gate++) {
                for (int j = 0; j < units; j++) {
                    int gateColumn = gate * width + j;
                    panels[transposed ? VectorMatrixProduct.panelIndex(gateColumn, k, depth, columns)
                            : VectorMatrixProduct.panelIndex(k, gateColumn, depth, columns)] =
                            values[(k * GATES + gate) * units + j];
                }
            }
        }
        return panels;
    }

    /** The values of a float matrix in C order, in a Java array. */
    private static float[] valuesOf(INDArray matrix) {
        float[] values = new float[Math.toIntExact(matrix.length())];
        NativeFloats.read(matrix).get(0, values);
        return values;
    }

    /**
     * Gate gradients (into {@link #stepGateGradients}) of one row from its output gradient (in
     * {@link #stepValues}) and the cell gradient of the next time step, which {@link #cellGradients} holds per
     * example and which is replaced by this step's.
     */
    private void backwardRow(int row, int previousRow, int nextRow, int stepRow) {
        int gateBase = row * GATES * width;
        int gradientBase = stepRow * GATES * width;
        for (int j = 0; j < width; j += FLOATS.length()) {
            FloatVector candidate = load(gates, gateBase + CANDIDATE * width + j);
            FloatVector forget = load(gates, gateBase + FORGET * width + j);
            FloatVector output = load(gates, gateBase + OUTPUT * width + j);
            FloatVector input = load(gates, gateBase + INPUT * width + j);
            FloatVector cellTanh = load(cellTanhs, row * width + j);
            FloatVector outputGradient = load(stepValues, stepRow * width + j);

            FloatVector cellGradient = outputGradient.mul(output).mul(oneMinusSquare(cellTanh));
            if (nextRow >= 0) {
                FloatVector nextForget = load(gates, nextRow * GATES * width + FORGET * width + j);
                cellGradient = load(cellGradients, stepRow * width + j).fma(nextForget, cellGradient);
            }
            cellGradient.intoArray(cellGradients, stepRow * width + j);
            outputGradient.mul(cellTanh).mul(sigmoidDerivative(output))
                    .intoArray(stepGateGradients, gradientBase + OUTPUT * width + j);
            cellGradient.mul(input).mul(oneMinusSquare(candidate))
                    .intoArray(stepGateGradients, gradientBase + CANDIDATE * width + j);
            FloatVector forgetGradient = previousRow >= 0
                    ? cellGradient.mul(load(cells, previousRow * width + j)).mul(sigmoidDerivative(forget))
                    : FloatVector.zero(FLOATS);
            forgetGradient.intoArray(stepGateGradients, gradientBase + FORGET * width + j);
            cellGradient.mul(candidate).mul(sigmoidDerivative(input))
                    .intoArray(stepGateGradients, gradientBase + INPUT * width + j);
        }
    }

    private void allocate(int rows, int stepRows, int units) {
        width = VectorLstmStep.width(units);
        gates = atLeast(gates, rows * GATES * width);
        cells = atLeast(cells, rows * width);
        cellTanhs = atLeast(cellTanhs, rows * width);
        stepValues = atLeast(stepValues, stepRows * width);
        stepGateGradients = atLeast(stepGateGradients, stepRows * GATES * width);
        cellGradients = atLeast(cellGradients, stepRows * width);
    }

    private static float[] atLeast(float[] array, int length) {
        return array.length >= length ? array : new float[length];
    }

    private static float[] zeroed(float[] array, int length) {
        if (array.length < length) {
            return new float[length];
        }
        Arrays.fill(array, 0, length, 0f);
        return array;
    }

    /** {@code s (1 - s)} for an activated sigmoid gate {@code s}. */
    private static FloatVector sigmoidDerivative(FloatVector s) {
        return s.mul(s.neg().add(1f));
    }

    /** {@code 1 - y^2} for an activated {@code tanh} value {@code y}. */
    private static FloatVector oneMinusSquare(FloatVector y) {
        return y.mul(y).neg().add(1f);
    }
}

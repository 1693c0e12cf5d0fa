package org.nmt4j.train.model;

import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.load;
import static org.nmt4j.core.model.VectorLstmStep.CANDIDATE;
import static org.nmt4j.core.model.VectorLstmStep.FORGET;
import static org.nmt4j.core.model.VectorLstmStep.GATES;
import static org.nmt4j.core.model.VectorLstmStep.INPUT;
import static org.nmt4j.core.model.VectorLstmStep.OUTPUT;
import static org.nmt4j.train.model.LstmRecursion.rowsOf;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.model.NativeFloats;
import org.nmt4j.core.model.VectorLstmStep;

/**
 * The LSTM recursion in float precision with the gates, cell and output of a time step computed in one pass of
 * Java's Vector API (nmt-core's {@link VectorLstmStep}; the backward step here): per time step and pass, one
 * recurrent GEMM on the ND4J arrays and two copies between them and Java arrays, instead of about eight native
 * element-wise calls. The activated gates, cells and their {@code tanh} of all time steps stay in
 * Java arrays for the backward pass. Loading this class needs the JVM option
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorLstmRecursion implements LstmRecursion {

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
    private int width;

    @Override
    public void forward(INDArray z, INDArray h, INDArray recurrentWeights, long batch, long units) {
        int rows = Math.toIntExact(z.rows());
        int stepRows = Math.toIntExact(batch);
        int size = Math.toIntExact(units);
        allocate(rows, stepRows, size);
        FloatBuffer zValues = NativeFloats.of(z);
        FloatBuffer hValues = NativeFloats.of(h);
        for (int t = 0; t < rows / stepRows; t++) {
            if (t > 0) {
                Nd4j.gemm(rowsOf(h, t - 1, batch), recurrentWeights,
                        rowsOf(z, t, batch), false, false, 1.0, 1.0);
            }
            int first = t * stepRows;
            VectorLstmStep.copyIn(zValues, first * GATES * size, gates, first * GATES, stepRows * GATES, size, width);
            for (int row = first; row < first + stepRows; row++) {
                VectorLstmStep.row(width, gates, row * GATES * width, cells, t > 0 ? (row - stepRows) * width : -1,
                        cells, row * width, cellTanhs, row * width, stepValues, (row - first) * width);
            }
            VectorLstmStep.copyOut(stepValues, 0, hValues, first * size, stepRows, size, width);
        }
    }

    @Override
    public void backward(INDArray dh, INDArray dz, INDArray recurrentWeights, long batch, long units) {
        int rows = Math.toIntExact(dh.rows());
        int stepRows = Math.toIntExact(batch);
        int size = Math.toIntExact(units);
        int steps = rows / stepRows;
        FloatBuffer dhValues = NativeFloats.of(dh);
        FloatBuffer dzValues = NativeFloats.of(dz);
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                Nd4j.gemm(rowsOf(dz, t + 1, batch), recurrentWeights,
                        rowsOf(dh, t, batch), false, true, 1.0, 1.0);
            }
            int first = t * stepRows;
            VectorLstmStep.copyIn(dhValues, first * size, stepValues, 0, stepRows, size, width);
            for (int row = first; row < first + stepRows; row++) {
                backwardRow(row, t > 0 ? row - stepRows : -1, t < steps - 1 ? row + stepRows : -1, row - first);
            }
            VectorLstmStep.copyOut(stepGateGradients, 0, dzValues, first * GATES * size, stepRows * GATES, size, width);
        }
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

    /** {@code s (1 - s)} for an activated sigmoid gate {@code s}. */
    private static FloatVector sigmoidDerivative(FloatVector s) {
        return s.mul(s.neg().add(1f));
    }

    /** {@code 1 - y^2} for an activated {@code tanh} value {@code y}. */
    private static FloatVector oneMinusSquare(FloatVector y) {
        return y.mul(y).neg().add(1f);
    }
}

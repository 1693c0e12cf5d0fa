package org.nmt4j.train.model;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The LSTM recursion in float precision with the gates, cell and output of a time step computed in one pass of
 * Java's Vector API ({@code jdk.incubator.vector}, whose {@code exp} and {@code tanh} are vectorized): per time step
 * and pass, one recurrent GEMM on the ND4J arrays and two copies between them and Java arrays, instead of about
 * eight native element-wise calls. The activated gates, cells and their {@code tanh} of all time steps stay in
 * Java arrays for the backward pass. Loading this class needs the JVM option
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorLstmRecursion implements LstmRecursion {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int GATES = 4;
    private static final int CANDIDATE = 0;
    private static final int FORGET = 1;
    private static final int OUTPUT = 2;
    private static final int INPUT = 3;

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
                Nd4j.gemm(OpLstmRecursion.rowsOf(h, t - 1, batch), recurrentWeights,
                        OpLstmRecursion.rowsOf(z, t, batch), false, false, 1.0, 1.0);
            }
            int first = t * stepRows;
            copyIn(zValues, first * GATES * size, gates, first * GATES, stepRows * GATES, size);
            for (int row = first; row < first + stepRows; row++) {
                forwardRow(row, t > 0 ? row - stepRows : -1, row - first);
            }
            copyOut(stepValues, 0, hValues, first * size, stepRows, size);
        }
    }

    /** Gate activations, cell, its tanh and the output (into {@link #stepValues}) of one row. */
    private void forwardRow(int row, int previousRow, int stepRow) {
        int gateBase = row * GATES * width;
        for (int j = 0; j < width; j += SPECIES.length()) {
            FloatVector candidate = load(gates, gateBase + CANDIDATE * width + j).lanewise(VectorOperators.TANH);
            FloatVector forget = sigmoid(load(gates, gateBase + FORGET * width + j));
            FloatVector output = sigmoid(load(gates, gateBase + OUTPUT * width + j));
            FloatVector input = sigmoid(load(gates, gateBase + INPUT * width + j));
            candidate.intoArray(gates, gateBase + CANDIDATE * width + j);
            forget.intoArray(gates, gateBase + FORGET * width + j);
            output.intoArray(gates, gateBase + OUTPUT * width + j);
            input.intoArray(gates, gateBase + INPUT * width + j);
            FloatVector cell = input.mul(candidate);
            if (previousRow >= 0) {
                cell = forget.fma(load(cells, previousRow * width + j), cell);
            }
            FloatVector cellTanh = cell.lanewise(VectorOperators.TANH);
            cell.intoArray(cells, row * width + j);
            cellTanh.intoArray(cellTanhs, row * width + j);
            output.mul(cellTanh).intoArray(stepValues, stepRow * width + j);
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
                Nd4j.gemm(OpLstmRecursion.rowsOf(dz, t + 1, batch), recurrentWeights,
                        OpLstmRecursion.rowsOf(dh, t, batch), false, true, 1.0, 1.0);
            }
            int first = t * stepRows;
            copyIn(dhValues, first * size, stepValues, 0, stepRows, size);
            for (int row = first; row < first + stepRows; row++) {
                backwardRow(row, t > 0 ? row - stepRows : -1, t < steps - 1 ? row + stepRows : -1, row - first);
            }
            copyOut(stepGateGradients, 0, dzValues, first * GATES * size, stepRows * GATES, size);
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
        for (int j = 0; j < width; j += SPECIES.length()) {
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
                    : FloatVector.zero(SPECIES);
            forgetGradient.intoArray(stepGateGradients, gradientBase + FORGET * width + j);
            cellGradient.mul(candidate).mul(sigmoidDerivative(input))
                    .intoArray(stepGateGradients, gradientBase + INPUT * width + j);
        }
    }

    private void allocate(int rows, int stepRows, int units) {
        width = (units + SPECIES.length() - 1) / SPECIES.length() * SPECIES.length();
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

    /** Copies {@code count} segments of {@code units} values, contiguous in ND4J's array, to padded Java rows. */
    private void copyIn(FloatBuffer from, int fromIndex, float[] to, int toSegment, int count, int units) {
        for (int i = 0; i < count; i++) {
            from.get(fromIndex + i * units, to, (toSegment + i) * width, units);
        }
    }

    /** Copies {@code count} padded Java rows, without their padding, to contiguous values of ND4J's array. */
    private void copyOut(float[] from, int fromSegment, FloatBuffer to, int toIndex, int count, int units) {
        for (int i = 0; i < count; i++) {
            to.put(toIndex + i * units, from, (fromSegment + i) * width, units);
        }
    }

    private static FloatVector load(float[] array, int index) {
        return FloatVector.fromArray(SPECIES, array, index);
    }

    private static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(SPECIES, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
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

package org.nmt4j.core.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The weights of one DL4J LSTM layer (one direction) and its time step. Gate blocks along the {@code 4u}
 * columns: block input (tanh), forget, output, input gate; no peepholes.
 */
final class LstmCell {

    /** {@code W [nIn, 4u]}. */
    final INDArray inputWeights;
    /** {@code RW [u, 4u]}. */
    final INDArray recurrentWeights;
    /** {@code b [1, 4u]}. */
    final INDArray bias;
    final int units;

    LstmCell(INDArray inputWeights, INDArray recurrentWeights, INDArray bias) {
        this.inputWeights = inputWeights;
        this.recurrentWeights = recurrentWeights;
        this.bias = bias;
        this.units = (int) recurrentWeights.size(0);
    }

    /** {@code x W + b} for a batch of inputs {@code x [n, nIn]}. */
    INDArray inputGates(INDArray x) {
        return MatrixProduct.of(x, inputWeights).addiRowVector(bias);
    }

    /**
     * One step from {@code h, c [n, u]} given the input part of the gate pre-activations {@code [n, 4u]}
     * (left untouched); returns the new {@code {h, c}}. The element-wise part runs on Java's Vector API in float
     * ({@link VectorLstmStep}), as ND4J operations otherwise.
     */
    INDArray[] step(INDArray inputGates, INDArray h, INDArray c) {
        INDArray z = MatrixProduct.addTo(inputGates.dup('c'), h, recurrentWeights);
        if (z.dataType() == DataType.FLOAT && VectorApi.enabled()) {
            return VectorLstmStep.step(z, c, units);
        }
        INDArray block = Transforms.tanh(z.get(all(), interval(0, units)), false);
        Transforms.sigmoid(z.get(all(), interval(units, 4 * units)), false);
        INDArray forget = z.get(all(), interval(units, 2 * units));
        INDArray output = z.get(all(), interval(2 * units, 3 * units));
        INDArray input = z.get(all(), interval(3 * units, 4 * units));
        INDArray cNext = forget.mul(c).addi(input.mul(block));
        INDArray hNext = output.mul(Transforms.tanh(cNext, true));
        return new INDArray[] {hNext, cNext};
    }
}

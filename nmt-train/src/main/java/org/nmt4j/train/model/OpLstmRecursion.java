package org.nmt4j.train.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nmt4j.train.model.LstmRecursion.rowsOf;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.TimesOneMinus;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The LSTM recursion as ND4J operations on views of time-step blocks, in any precision: about eight native calls
 * per time step and pass. The gate activations, cells and their {@code tanh} stay in {@link DetachedBuffer}s for
 * the backward pass.
 */
final class OpLstmRecursion implements LstmRecursion {

    private final DetachedBuffer cells = new DetachedBuffer();
    private final DetachedBuffer cellTanhs = new DetachedBuffer();
    private final DetachedBuffer cellGradients = new DetachedBuffer();
    private final DetachedBuffer gateFactors = new DetachedBuffer();
    private final DetachedBuffer cellFactors = new DetachedBuffer();

    /** The activated gates of the last forward pass (a view of the caller's buffer). */
    private INDArray activatedGates;

    @Override
    public void forward(INDArray z, INDArray h, INDArray recurrentWeights, long batch, long units) {
        DataType type = z.dataType();
        long rows = z.rows();
        INDArray c = cells.shaped(type, rows, units);
        INDArray cellTanh = cellTanhs.shaped(type, rows, units);
        for (long t = 0; t < rows / batch; t++) {
            INDArray stepGates = rowsOf(z, t, batch);
            if (t > 0) {
                Nd4j.gemm(rowsOf(h, t - 1, batch), recurrentWeights, stepGates, false, false, 1.0, 1.0);
            }
            INDArray candidate = block(z, t, batch, 0, units);
            INDArray sigmoidGates = block(z, t, batch, units, 4 * units);
            Nd4j.exec(new Tanh(candidate, candidate));
            Nd4j.exec(new Sigmoid(sigmoidGates, sigmoidGates));
            INDArray cell = rowsOf(c, t, batch);
            INDArray tanh = rowsOf(cellTanh, t, batch);
            Nd4j.exec(new MulOp(block(z, t, batch, 3 * units, 4 * units), candidate, cell));
            if (t > 0) {
                Nd4j.exec(new MulOp(block(z, t, batch, units, 2 * units), rowsOf(c, t - 1, batch), tanh));
                cell.addi(tanh);
            }
            Nd4j.exec(new Tanh(cell, tanh));
            Nd4j.exec(new MulOp(tanh, block(z, t, batch, 2 * units, 3 * units), rowsOf(h, t, batch)));
        }
        activatedGates = z;
    }

    @Override
    public void backward(INDArray dh, INDArray dz, INDArray recurrentWeights, long batch, long units) {
        INDArray z = activatedGates;
        DataType type = z.dataType();
        long rows = z.rows();
        long steps = rows / batch;
        computeFactors(z, cells.shaped(type, rows, units), cellTanhs.shaped(type, rows, units), batch, units);
        INDArray factors = gateFactors.shaped(type, rows, 4 * units);
        INDArray cellFactor = cellFactors.shaped(type, rows, units);
        INDArray dc = cellGradients.shaped(type, rows, units);
        for (long t = steps - 1; t >= 0; t--) {
            INDArray stepDh = rowsOf(dh, t, batch);
            INDArray stepDc = rowsOf(dc, t, batch);
            if (t < steps - 1) {
                Nd4j.gemm(rowsOf(dz, t + 1, batch), recurrentWeights, stepDh, false, true, 1.0, 1.0);
            }
            Nd4j.exec(new MulOp(stepDh, block(factors, t, batch, 2 * units, 3 * units),
                    block(dz, t, batch, 2 * units, 3 * units)));
            Nd4j.exec(new MulOp(stepDh, rowsOf(cellFactor, t, batch), stepDc));
            if (t < steps - 1) {
                INDArray nextDc = rowsOf(dc, t + 1, batch);
                nextDc.muli(block(z, t + 1, batch, units, 2 * units));
                stepDc.addi(nextDc);
            }
            for (long gate : new long[] {0, 1, 3}) {
                Nd4j.exec(new MulOp(stepDc, block(factors, t, batch, gate * units, (gate + 1) * units),
                        block(dz, t, batch, gate * units, (gate + 1) * units)));
            }
        }
    }

    /**
     * Fills {@link #gateFactors}: what the gradient of each gate pre-activation is, per time step, once multiplied
     * by the cell gradient (candidate, forget, input gate) or by the output gradient (output gate):
     * {@code g (1 - a^2)}, {@code c_{t-1} f (1 - f)} (zero at t = 0, where DL4J's initial cell is zero),
     * {@code tanh(c) o (1 - o)}, {@code a g (1 - g)}; and {@link #cellFactors}: what the output gradient
     * contributes to the cell gradient, {@code o (1 - tanh(c)^2)}. All time steps at once, before the recursion.
     */
    private void computeFactors(INDArray z, INDArray c, INDArray cellTanh, long batch, long units) {
        DataType type = z.dataType();
        long rows = z.rows();
        INDArray factors = gateFactors.shaped(type, rows, 4 * units);
        INDArray candidate = z.get(all(), interval(0, units));
        INDArray forget = z.get(all(), interval(units, 2 * units));
        INDArray output = z.get(all(), interval(2 * units, 3 * units));
        INDArray input = z.get(all(), interval(3 * units, 4 * units));

        INDArray candidateFactor = factors.get(all(), interval(0, units));
        Nd4j.exec(new MulOp(candidate, candidate, candidateFactor));
        candidateFactor.rsubi(1.0).muli(input);
        INDArray forgetFactor = factors.get(all(), interval(units, 2 * units));
        Nd4j.exec(new TimesOneMinus(forget, forgetFactor));
        factors.get(interval(0, batch), interval(units, 2 * units)).assign(0);
        factors.get(interval(batch, rows), interval(units, 2 * units)).muli(c.get(interval(0, rows - batch), all()));
        INDArray outputFactor = factors.get(all(), interval(2 * units, 3 * units));
        Nd4j.exec(new TimesOneMinus(output, outputFactor));
        outputFactor.muli(cellTanh);
        INDArray inputFactor = factors.get(all(), interval(3 * units, 4 * units));
        Nd4j.exec(new TimesOneMinus(input, inputFactor));
        inputFactor.muli(candidate);

        INDArray cellFactor = cellFactors.shaped(type, rows, units);
        Nd4j.exec(new MulOp(cellTanh, cellTanh, cellFactor));
        cellFactor.rsubi(1.0).muli(output);
    }

    /** Rows of time step {@code t} (contiguous), columns {@code [from, to)}, of a time-major matrix. */
    private static INDArray block(INDArray matrix, long t, long batch, long from, long to) {
        return matrix.get(interval(t * batch, (t + 1) * batch), interval(from, to));
    }
}

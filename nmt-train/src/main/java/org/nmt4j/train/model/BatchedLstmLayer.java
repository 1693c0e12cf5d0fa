package org.nmt4j.train.model;

import static org.deeplearning4j.nn.params.LSTMParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.LSTMParamInitializer.INPUT_WEIGHT_KEY;
import static org.deeplearning4j.nn.params.LSTMParamInitializer.RECURRENT_WEIGHT_KEY;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.TimesOneMinus;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer of {@link BatchedLstm}: DL4J's LSTM with the same equations and gate order (columns of the
 * {@code 4h} gate pre-activations: {@code tanh} candidate {@code a}, forget {@code f}, output {@code o}, input
 * {@code g}; {@code c_t = f c_{t-1} + g a}, {@code h_t = o tanh(c_t)}), computed differently:
 * <ul>
 * <li>forward: {@code X W + b} for all time steps as one GEMM, then per step the recurrent GEMM and the gates;
 *     in training the gate activations, cells and outputs stay in {@link DetachedBuffer}s for the backward pass,
 *     which DL4J's layer recomputes;</li>
 * <li>backward: per step only what the recursion needs (the gate gradients and their product with
 *     {@code RW^T}); the weight gradients {@code X^T dZ}, {@code H_prev^T dZ}, the bias gradient and the input
 *     gradient {@code dZ W^T} after the loop as one operation each over all time steps.</li>
 * </ul>
 * Rows of the buffers are time-major ({@code t * batch + example}), so each time step is a contiguous block. A
 * mask array (a {@code ComputationGraph} never gives one to its LSTM layers, see the README), a backward pass
 * without a training forward pass on the same input, and DL4J's stored-state methods ({@code rnnTimeStep},
 * truncated BPTT) run DL4J's own implementation.
 */
final class BatchedLstmLayer extends LSTM {

    private final DetachedBuffer inputRows = new DetachedBuffer();
    private final DetachedBuffer gates = new DetachedBuffer();
    private final DetachedBuffer cells = new DetachedBuffer();
    private final DetachedBuffer cellTanhs = new DetachedBuffer();
    private final DetachedBuffer outputs = new DetachedBuffer();
    private final DetachedBuffer outputGradients = new DetachedBuffer();
    private final DetachedBuffer cellGradients = new DetachedBuffer();
    private final DetachedBuffer gateGradients = new DetachedBuffer();
    private final DetachedBuffer gateFactors = new DetachedBuffer();
    private final DetachedBuffer cellFactors = new DetachedBuffer();

    /** The (dropped-out) input whose training forward pass the buffers hold, or null. */
    private INDArray forwardInput;

    BatchedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        forwardInput = null;
        if (maskArray != null) {
            return super.activate(training, workspaceMgr);
        }
        if (input.rank() != 3) {
            throw new DL4JInvalidInputException(layerId() + ": expected input [batch, features, time], got "
                    + Arrays.toString(input.shape()));
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray inputWeights = getParam(INPUT_WEIGHT_KEY);
        INDArray recurrentWeights = getParam(RECURRENT_WEIGHT_KEY);
        Sizes sizes = sizes();
        DataType type = sizes.type();
        long batch = sizes.batch();
        long inputSize = sizes.inputSize();
        long steps = sizes.steps();
        long units = sizes.units();

        inputRows.shaped(type, steps, batch, inputSize).assign(input.permute(2, 0, 1));
        INDArray x = inputRows.shaped(type, steps * batch, inputSize);
        INDArray z = gates.shaped(type, steps * batch, 4 * units);
        Nd4j.gemm(x, inputWeights, z, false, false, 1.0, 0.0);
        z.addiRowVector(getParam(BIAS_KEY));
        INDArray c = cells.shaped(type, steps * batch, units);
        INDArray cellTanh = cellTanhs.shaped(type, steps * batch, units);
        INDArray h = outputs.shaped(type, steps * batch, units);
        for (long t = 0; t < steps; t++) {
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

        INDArray output = workspaceMgr.create(ArrayType.ACTIVATIONS, type, new long[] {batch, units, steps}, 'f');
        output.assign(outputs.shaped(type, steps, batch, units).permute(1, 2, 0));
        if (training) {
            forwardInput = input;
        }
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (forwardInput != input || maskArray != null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        forwardInput = null;
        INDArray inputWeights = getParam(INPUT_WEIGHT_KEY);
        INDArray recurrentWeights = getParam(RECURRENT_WEIGHT_KEY);
        Sizes sizes = sizes();
        DataType type = sizes.type();
        long batch = sizes.batch();
        long inputSize = sizes.inputSize();
        long steps = sizes.steps();
        long units = sizes.units();
        long rows = steps * batch;

        INDArray z = gates.shaped(type, rows, 4 * units);
        INDArray c = cells.shaped(type, rows, units);
        INDArray h = outputs.shaped(type, rows, units);
        computeFactors(z, c, cellTanhs.shaped(type, rows, units), batch, units);
        INDArray factors = gateFactors.shaped(type, rows, 4 * units);
        INDArray cellFactor = cellFactors.shaped(type, rows, units);
        outputGradients.shaped(type, steps, batch, units).assign(epsilon.permute(2, 0, 1));
        INDArray dh = outputGradients.shaped(type, rows, units);
        INDArray dc = cellGradients.shaped(type, rows, units);
        INDArray dz = gateGradients.shaped(type, rows, 4 * units);
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

        INDArray x = inputRows.shaped(type, rows, inputSize);
        INDArray inputWeightGradient = gradientViews.get(INPUT_WEIGHT_KEY);
        INDArray recurrentWeightGradient = gradientViews.get(RECURRENT_WEIGHT_KEY);
        INDArray biasGradient = gradientViews.get(BIAS_KEY);
        Nd4j.gemm(x, dz, inputWeightGradient, true, false, 1.0, 0.0);
        if (steps > 1) {
            Nd4j.gemm(h.get(interval(0, rows - batch), all()), dz.get(interval(batch, rows), all()),
                    recurrentWeightGradient, true, false, 1.0, 0.0);
        } else {
            recurrentWeightGradient.assign(0);
        }
        dz.sum(biasGradient, 0);
        Nd4j.gemm(dz, inputWeights, x, false, true, 1.0, 0.0);
        INDArray inputGradient = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, type,
                new long[] {batch, inputSize, steps}, 'f');
        inputGradient.assign(inputRows.shaped(type, steps, batch, inputSize).permute(1, 2, 0));

        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(INPUT_WEIGHT_KEY, inputWeightGradient);
        gradient.gradientForVariable().put(RECURRENT_WEIGHT_KEY, recurrentWeightGradient);
        gradient.gradientForVariable().put(BIAS_KEY, biasGradient);
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGradient));
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

    /** Data type of the parameters, and the sizes of the input {@code [batch, inputSize, steps]} and the state. */
    private record Sizes(DataType type, long batch, long inputSize, long steps, long units) {
    }

    private Sizes sizes() {
        INDArray inputWeights = getParam(INPUT_WEIGHT_KEY);
        if (input.size(1) != inputWeights.size(0)) {
            throw new DL4JInvalidInputException(layerId() + ": input has " + input.size(1) + " features, nIn is "
                    + inputWeights.size(0));
        }
        return new Sizes(inputWeights.dataType(), input.size(0), input.size(1), input.size(2),
                getParam(RECURRENT_WEIGHT_KEY).size(0));
    }

    /** Rows of time step {@code t} of a time-major matrix: a contiguous block. */
    private static INDArray rowsOf(INDArray matrix, long t, long batch) {
        return matrix.get(interval(t * batch, (t + 1) * batch), all());
    }

    /** Rows of time step {@code t} (contiguous), columns {@code [from, to)}, of a time-major matrix. */
    private static INDArray block(INDArray matrix, long t, long batch, long from, long to) {
        return matrix.get(interval(t * batch, (t + 1) * batch), interval(from, to));
    }
}

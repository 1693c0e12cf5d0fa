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
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.model.VectorApi;

/**
 * The layer of {@link BatchedLstm}: DL4J's LSTM with the same equations and gate order (columns of the
 * {@code 4h} gate pre-activations: {@code tanh} candidate {@code a}, forget {@code f}, output {@code o}, input
 * {@code g}; {@code c_t = f c_{t-1} + g a}, {@code h_t = o tanh(c_t)}), computed differently:
 * <ul>
 * <li>forward: {@code X W + b} for all time steps as one GEMM, then per step the recurrent GEMM and the gates
 *     ({@link LstmRecursion}: {@link VectorLstmRecursion} in float where Java's Vector API is enabled,
 *     {@link OpLstmRecursion} otherwise); the gate activations, cells and outputs are kept for the backward pass,
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
    private final DetachedBuffer outputs = new DetachedBuffer();
    private final DetachedBuffer outputGradients = new DetachedBuffer();
    private final DetachedBuffer gateGradients = new DetachedBuffer();

    private final LstmRecursion opRecursion = new OpLstmRecursion();
    private LstmRecursion vectorRecursion;
    /** The recursion of the last forward pass. */
    private LstmRecursion recursion;

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
        INDArray h = outputs.shaped(type, steps * batch, units);
        recursion = type == DataType.FLOAT && VectorApi.enabled() ? vectorRecursion() : opRecursion;
        recursion.forward(z, h, recurrentWeights, batch, units);

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

        INDArray h = outputs.shaped(type, rows, units);
        outputGradients.shaped(type, steps, batch, units).assign(epsilon.permute(2, 0, 1));
        INDArray dz = gateGradients.shaped(type, rows, 4 * units);
        recursion.backward(outputGradients.shaped(type, rows, units), dz, recurrentWeights, batch, units);

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
        ColumnSums.into(dz, biasGradient);
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

    private LstmRecursion vectorRecursion() {
        if (vectorRecursion == null) {
            vectorRecursion = new VectorLstmRecursion();
        }
        return vectorRecursion;
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

}

package org.nmt4j.train.model;

import static org.deeplearning4j.nn.params.ConvolutionParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.ConvolutionParamInitializer.WEIGHT_KEY;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Convolution1DLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer of {@link PointwiseConvolution1D}: with input {@code x [batch, nIn, time]}, every time step's
 * {@code y_t = x_t W + b}, where {@code W [nIn, nOut]} is the weight parameter {@code [nOut, nIn, 1, 1]} read in its
 * own order, as DL4J's conv1d reads it. One GEMM over the rows {@code (example, time)} forward; backward the
 * weight gradient {@code X^T dY} and the input gradient {@code dY W^T}, one GEMM each, and the bias gradient as
 * column sums. As in DL4J's layer, a mask array zeroes the masked outputs and is not applied to the gradient.
 */
final class PointwiseConvolution1DLayer extends Convolution1DLayer {

    PointwiseConvolution1DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x = rows(input.castTo(dataType), ArrayType.FF_WORKING_MEM, workspaceMgr);
        INDArray weights = weightMatrix(getParam(WEIGHT_KEY));
        INDArray y = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType,
                new long[] {x.rows(), weights.columns()}, 'c');
        Nd4j.gemm(x, weights, y, false, false, 1.0, 0.0);
        if (layerConf().hasBias()) {
            y.addiRowVector(getParam(BIAS_KEY).reshape(1, weights.columns()));
        }
        INDArray output = sequences(y, ArrayType.ACTIVATIONS, workspaceMgr);
        if (maskArray != null) {
            INDArray mask = feedForwardMaskArray(maskArray, null, (int) output.size(0)).getFirst();
            Broadcast.mul(output, mask.castTo(dataType), output, 0, 2);
        }
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = rows(input.castTo(dataType), ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray dy = rows(epsilon.castTo(dataType), ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray weights = weightMatrix(getParam(WEIGHT_KEY));
        INDArray weightGradient = gradientViews.get(WEIGHT_KEY);
        INDArray weightMatrixGradient = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[] {weights.rows(), weights.columns()}, weightGradient.ordering());
        Nd4j.gemm(x, dy, weightMatrixGradient, true, false, 1.0, 0.0);
        weightGradient.assign(weightMatrixGradient.reshape(weightGradient.ordering(), weightGradient.shape()));
        Gradient gradient = new DefaultGradient();
        if (layerConf().hasBias()) {
            INDArray biasGradient = gradientViews.get(BIAS_KEY);
            ColumnSums.into(dy, biasGradient);
            gradient.setGradientFor(BIAS_KEY, biasGradient);
        }
        gradient.setGradientFor(WEIGHT_KEY, weightGradient, 'c');
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[] {dy.rows(), weights.rows()}, 'c');
        Nd4j.gemm(dy, weights, dx, false, true, 1.0, 0.0);
        return new Pair<>(gradient, sequences(dx, ArrayType.ACTIVATION_GRAD, workspaceMgr));
    }

    /** The weight parameter {@code [nOut, nIn, 1, 1]} as the {@code [nIn, nOut]} matrix, in its own order. */
    private static INDArray weightMatrix(INDArray parameter) {
        return parameter.reshape(parameter.ordering(), parameter.size(1), parameter.size(0));
    }

    /** {@code [batch, features, time]} as C-order rows {@code (example, time)} of features. */
    private INDArray rows(INDArray sequences, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        if (sequences.rank() != 3) {
            throw new DL4JInvalidInputException(layerId() + ": expected [batch, features, time], got rank "
                    + sequences.rank());
        }
        long batch = sequences.size(0);
        long features = sequences.size(1);
        long steps = sequences.size(2);
        INDArray rows = workspaceMgr.createUninitialized(type, dataType, new long[] {batch, steps, features}, 'c');
        rows.assign(sequences.permute(0, 2, 1));
        return rows.reshape('c', batch * steps, features);
    }

    /** Rows {@code (example, time)} back as {@code [batch, features, time]}. */
    private INDArray sequences(INDArray rows, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        long batch = input.size(0);
        long steps = input.size(2);
        INDArray sequences = workspaceMgr.createUninitialized(type, dataType,
                new long[] {batch, rows.columns(), steps}, 'f');
        sequences.assign(rows.reshape('c', batch, steps, rows.columns()).permute(0, 2, 1));
        return sequences;
    }
}

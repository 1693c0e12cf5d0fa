package org.nmt4j.train.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer of {@link SinglePassOutputLayer}. DL4J's {@code ComputationGraph.computeGradientAndScore} runs the
 * output layer's backward pass and then asks it for the score; DL4J's layer recomputes the logits (the largest
 * GEMM of the model) and the loss for that. This one keeps the loss its backward pass computed with the gradient
 * (the loss function's {@code computeGradientAndScore}, which {@link LabelSmoothedCrossEntropy} answers from one
 * softmax) and answers the next training-mode score request with it.
 * Everything else, including scores without a preceding backward pass, is DL4J's.
 */
final class SinglePassOutputLayerImpl extends RnnOutputLayer {

    /** Loss sum of the last backward pass on the current input and labels, or NaN when there is none. */
    private double lossOfBackwardPass = Double.NaN;

    /** The label mask last given to {@link #setMaskArray}: DL4J's layer keeps a reshaped copy, not this array. */
    private INDArray maskArgument;

    SinglePassOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (input.rank() != 3 || layerConf().getRnnDataFormat() == RNNFormat.NWC) {
            throw new UnsupportedOperationException("expected input [batch, features, time], got "
                    + java.util.Arrays.toString(input.shape()) + " in format " + layerConf().getRnnDataFormat());
        }
        INDArray input3d = input;
        input = TimeSeriesUtils.reshape3dTo2d(input3d, workspaceMgr, ArrayType.BP_WORKING_MEM);
        try {
            applyDropOutIfNecessary(true, workspaceMgr);
            INDArray logits = logits(workspaceMgr);
            Pair<Double, INDArray> result = layerConf().getLossFn().computeGradientAndScore(
                    getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM), logits, layerConf().getActivationFn(),
                    maskArray, false);
            INDArray delta = result.getSecond();

            Gradient gradient = new DefaultGradient();
            INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
            Nd4j.gemm(input, delta, weightGradient, true, false, 1.0, 0.0);
            gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
            if (hasBias()) {
                INDArray biasGradient = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
                ColumnSums.into(delta, biasGradient);
                gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
            }

            INDArray weights = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaceMgr);
            INDArray epsilon2d = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                    new long[] {weights.size(0), delta.size(0)}, 'f');
            epsilon2d = backpropDropOutIfPresent(weights.mmuli(delta.transpose(), epsilon2d).transpose());
            INDArray epsilon3d = TimeSeriesUtils.reshape2dTo3d(epsilon2d, input3d.size(0), workspaceMgr,
                    ArrayType.ACTIVATION_GRAD);
            weightNoiseParams.clear();
            lossOfBackwardPass = result.getFirst();
            return new Pair<>(gradient, epsilon3d);
        } finally {
            input = input3d;
        }
    }

    /**
     * {@code input W + b} with one GEMM straight into a c-order array: DL4J's {@code preOutput} lets the GEMM write
     * an f-order temporary and copies that into its c-order result, a transposing copy as large as the logits.
     * Weight noise and layer normalisation, which our graph does not use, take DL4J's path.
     */
    private INDArray logits(LayerWorkspaceMgr workspaceMgr) {
        if (layerConf().getWeightNoise() != null || hasLayerNorm()) {
            return preOutput2d(true, workspaceMgr);
        }
        INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray logits = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, weights.dataType(),
                new long[] {input.size(0), weights.size(1)}, 'c');
        Nd4j.gemm(input.castTo(weights.dataType()), weights, logits, false, false, 1.0, 0.0);
        if (hasBias()) {
            logits.addiRowVector(getParam(DefaultParamInitializer.BIAS_KEY));
        }
        return logits;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training || Double.isNaN(lossOfBackwardPass)) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        double score = lossOfBackwardPass;
        lossOfBackwardPass = Double.NaN;
        if (conf().isMiniBatch()) {
            score /= getInputMiniBatchSize();
        }
        this.score = score + fullNetRegTerm;
        return this.score;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        lossOfBackwardPass = Double.NaN;
        super.setInput(input, workspaceMgr);
    }

    @Override
    public void setLabels(INDArray labels) {
        lossOfBackwardPass = Double.NaN;
        super.setLabels(labels);
    }

    @Override
    public void setMaskArray(INDArray maskArray) {
        if (maskArray != maskArgument) { // the graph sets the same label mask again before asking for the score
            lossOfBackwardPass = Double.NaN;
        }
        maskArgument = maskArray;
        super.setMaskArray(maskArray);
    }

    @Override
    public void clear() {
        lossOfBackwardPass = Double.NaN;
        super.clear();
    }
}

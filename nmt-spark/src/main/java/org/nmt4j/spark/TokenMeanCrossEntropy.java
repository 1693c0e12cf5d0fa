package org.nmt4j.spark;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nmt4j.core.model.ModelLayout;
import org.nmt4j.train.model.LabelSmoothedCrossEntropy;

/**
 * nmt-train's {@link LabelSmoothedCrossEntropy} divided by the number of unmasked target tokens of the batch: the
 * loss of the Spark workers, where DL4J's own {@code fit} makes one update per batch and nothing divides the summed
 * loss the way {@code GradientStep} does. (Weighting the label mask instead does not work: DL4J also multiplies
 * the output layer's pre-activations by that mask.)
 */
public final class TokenMeanCrossEntropy implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("smoothing")
    private double smoothing;

    /** For JSON deserialization. */
    public TokenMeanCrossEntropy() {
        this(0.0);
    }

    public TokenMeanCrossEntropy(@JsonProperty("smoothing") double smoothing) {
        new LabelSmoothedCrossEntropy(smoothing); // validates ε
        this.smoothing = smoothing;
    }

    /** Replaces the loss of the graph's output layer (configuration and live layer) by this one. */
    public static void install(ComputationGraph net, double smoothing) {
        TokenMeanCrossEntropy loss = new TokenMeanCrossEntropy(smoothing);
        LayerVertex vertex = (LayerVertex) net.getConfiguration().getVertices().get(ModelLayout.OUTPUT);
        ((BaseOutputLayer) vertex.getLayerConf().getLayer()).setLossFn(loss);
        ((BaseOutputLayer) net.getLayer(ModelLayout.OUTPUT).conf().getLayer()).setLossFn(loss);
    }

    public double getSmoothing() {
        return smoothing;
    }

    private LabelSmoothedCrossEntropy inner() {
        return new LabelSmoothedCrossEntropy(smoothing);
    }

    private static double tokens(INDArray preOutput, INDArray mask) {
        double n = mask == null ? preOutput.size(0) : mask.sumNumber().doubleValue();
        return Math.max(n, 1);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return inner().computeScoreArray(labels, preOutput, activationFn, mask).divi(tokens(preOutput, mask));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return inner().computeScore(labels, preOutput, activationFn, mask, false) / tokens(preOutput, mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return inner().computeGradient(labels, preOutput, activationFn, mask).divi(tokens(preOutput, mask));
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        LabelSmoothedCrossEntropy.LossAndGradient sum = inner().lossAndGradient(labels, preOutput, activationFn, mask);
        double tokens = tokens(preOutput, mask);
        return new Pair<>(sum.loss() / tokens, sum.gradient().divi(tokens));
    }

    @Override
    public String name() {
        return "TokenMeanCrossEntropy(" + smoothing + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenMeanCrossEntropy other && other.smoothing == smoothing;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(smoothing);
    }

    @Override
    public String toString() {
        return name();
    }
}

package org.nmt4j.train.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@link RnnOutputLayer}, computing the output logits and the loss once per training pass instead of twice:
 * DL4J's layer computes them in its backward pass for the gradient and again for the score
 * ({@link SinglePassOutputLayerImpl}). Same parameters, settings and gradients; with dropout on its input the
 * score is the loss of the dropped-out pass (DL4J's layer scores without that dropout). The loss function's
 * {@code computeGradientAndScore} gives both loss and gradient: {@link LabelSmoothedCrossEntropy} computes them
 * from one softmax.
 */
public final class SinglePassOutputLayer extends RnnOutputLayer {

    /** For JSON deserialization. */
    public SinglePassOutputLayer() {
    }

    /**
     * The layer configured as {@code built}. Every setting is carried over through DL4J's own JSON form of the
     * configuration, so that none can be forgotten.
     */
    public static SinglePassOutputLayer of(RnnOutputLayer built) {
        return LayerSubclasses.configuredAs(SinglePassOutputLayer.class, built);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SinglePassOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSubclasses.wired(new SinglePassOutputLayerImpl(conf, networkDataType), conf, initializer(), trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }
}

package org.nmt4j.train.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.util.Collection;

/**
 * DL4J's {@link RnnOutputLayer} with {@link LabelSmoothedCrossEntropy}, computing the output logits and the loss
 * once per training pass instead of twice: DL4J's layer computes them in its backward pass for the gradient and
 * again for the score ({@link SinglePassOutputLayerImpl}). Same parameters, settings and results otherwise.
 */
public final class SinglePassOutputLayer extends RnnOutputLayer {

    /** For JSON deserialization. */
    public SinglePassOutputLayer() {
    }

    /**
     * The layer configured as {@code built}, which must use {@link LabelSmoothedCrossEntropy}. Every setting is
     * carried over through DL4J's own JSON form of the configuration, so that none can be forgotten.
     */
    public static SinglePassOutputLayer of(RnnOutputLayer built) {
        if (!(built.getLossFn() instanceof LabelSmoothedCrossEntropy)) {
            throw new IllegalArgumentException("the single-pass output layer needs LabelSmoothedCrossEntropy, got "
                    + built.getLossFn());
        }
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(built);
        json.put("@class", SinglePassOutputLayer.class.getName());
        try {
            return (SinglePassOutputLayer) mapper.treeToValue(json, org.deeplearning4j.nn.conf.layers.Layer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot copy the output layer configuration", e);
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SinglePassOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        SinglePassOutputLayerImpl layer = new SinglePassOutputLayerImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}

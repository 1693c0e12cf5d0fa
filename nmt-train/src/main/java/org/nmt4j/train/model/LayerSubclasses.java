package org.nmt4j.train.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * What our subclasses of DL4J layers ({@link BatchedLstm}, {@link SinglePassOutputLayer},
 * {@link PointwiseConvolution1D}) share: copying a DL4J configuration into the subclass, and wiring a new layer
 * as DL4J's own {@code instantiate} methods do.
 */
final class LayerSubclasses {

    private LayerSubclasses() {
    }

    /**
     * {@code built} as an instance of {@code type}, a direct subclass of its class: every setting is carried over
     * through DL4J's own JSON form of the configuration, so that none can be forgotten.
     */
    static <T extends Layer> T configuredAs(Class<T> type, Layer built) {
        if (!type.getSuperclass().isInstance(built)) {
            throw new IllegalArgumentException(type.getSimpleName() + " copies a " + type.getSuperclass().getName()
                    + ", got " + built.getClass().getName());
        }
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(built);
        json.put("@class", type.getName());
        try {
            return type.cast(mapper.treeToValue(json, Layer.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot copy the configuration of layer " + built.getLayerName(), e);
        }
    }

    /** {@code layer} given its listeners, index, parameters (initialised or not) and configuration. */
    static <L extends AbstractLayer<?>> L wired(L layer, NeuralNetConfiguration conf, ParamInitializer initializer,
                                               Collection<TrainingListener> listeners, int index,
                                               INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer.init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}

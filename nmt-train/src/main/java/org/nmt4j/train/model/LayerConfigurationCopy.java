package org.nmt4j.train.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Copies a DL4J layer configuration into one of our subclasses of its type through DL4J's own JSON form, so that
 * no setting can be forgotten.
 */
final class LayerConfigurationCopy {

    private LayerConfigurationCopy() {
    }

    static <T extends Layer> T as(Class<T> type, Layer built) {
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
}

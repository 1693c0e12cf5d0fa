package org.nmt4j.train.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A DL4J layer instantiated on its own, outside a network, for comparing two implementations of one layer. */
final class StandaloneLayer {

    private StandaloneLayer() {
    }

    /** The layer with a copy of {@code params} (whose data type is the layer's) and a gradient view. */
    static Layer of(org.deeplearning4j.nn.conf.layers.Layer layerConf, INDArray params) {
        DataType type = params.dataType();
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(type).layer(layerConf).build();
        Layer layer = conf.getLayer().instantiate(conf, null, 0, params.dup(), false, type);
        layer.setBackpropGradientsViewArray(Nd4j.create(type, params.shape()));
        return layer;
    }
}

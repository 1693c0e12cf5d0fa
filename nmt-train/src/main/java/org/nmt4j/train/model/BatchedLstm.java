package org.nmt4j.train.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link LSTM} (same parameters {@code W}, {@code RW}, {@code b}, layout, initialisation and results)
 * computed by {@link BatchedLstmLayer}, which projects the inputs of all time steps in one GEMM, keeps its forward
 * pass for the backward pass and computes the weight gradients in one GEMM each. It implements what
 * {@link Seq2SeqGraph} uses: {@code tanh} activation, sigmoid gates, no weight noise, data format NCW.
 */
public final class BatchedLstm extends LSTM {

    /** For JSON deserialization. */
    public BatchedLstm() {
    }

    /**
     * The layer configured as {@code built}. Every setting is carried over through DL4J's own JSON form of the
     * configuration, so that none can be forgotten.
     */
    public static BatchedLstm of(LSTM built) {
        return LayerSubclasses.configuredAs(BatchedLstm.class, built);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet("BatchedLstm", getLayerName(), layerIndex, getNIn(), getNOut());
        if (!(getActivationFn() instanceof ActivationTanH) || !(getGateActivationFn() instanceof ActivationSigmoid)
                || getWeightNoise() != null || getRnnDataFormat() == RNNFormat.NWC) {
            throw new IllegalArgumentException("BatchedLstm " + getLayerName() + " implements tanh activation, "
                    + "sigmoid gates, no weight noise and format NCW only; got " + getActivationFn() + ", "
                    + getGateActivationFn() + ", " + getWeightNoise() + ", " + getRnnDataFormat());
        }
        return LayerSubclasses.wired(new BatchedLstmLayer(conf, networkDataType), conf, initializer(), trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }
}

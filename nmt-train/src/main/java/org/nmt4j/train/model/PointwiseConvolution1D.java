package org.nmt4j.train.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Convolution1DLayer} of kernel width 1 (same parameters, layout and results: the query projection
 * of the "general" attention score) computed by {@link PointwiseConvolution1DLayer} as one matrix product over all
 * time steps. DL4J's layer runs its conv1d op (im2col and copies around a small product) and computes the forward
 * pass again inside the backward pass. Implements what {@link Seq2SeqGraph} uses: width 1, stride 1, dilation 1,
 * no padding, identity activation, no dropout or weight noise, format NCW.
 */
public final class PointwiseConvolution1D extends Convolution1DLayer {

    /** For JSON deserialization. */
    public PointwiseConvolution1D() {
    }

    /**
     * The layer configured as {@code built}. Every setting is carried over through DL4J's own JSON form of the
     * configuration, so that none can be forgotten.
     */
    public static PointwiseConvolution1D of(Convolution1DLayer built) {
        return LayerSubclasses.configuredAs(PointwiseConvolution1D.class, built);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet("PointwiseConvolution1D", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getKernelSize()[0] != 1 || getStride()[0] != 1 || getDilation()[0] != 1 || getPadding()[0] != 0
                || !(getActivationFn() instanceof ActivationIdentity) || getIDropout() != null
                || getWeightNoise() != null || getRnnDataFormat() != RNNFormat.NCW) {
            throw new IllegalArgumentException("PointwiseConvolution1D " + getLayerName() + " implements width 1, "
                    + "stride 1, dilation 1, no padding, identity activation, no dropout or weight noise and format "
                    + "NCW only; got width " + getKernelSize()[0] + ", stride " + getStride()[0] + ", dilation "
                    + getDilation()[0] + ", padding " + getPadding()[0] + ", " + getActivationFn() + ", dropout "
                    + getIDropout() + ", weight noise " + getWeightNoise() + ", " + getRnnDataFormat());
        }
        return LayerSubclasses.wired(new PointwiseConvolution1DLayer(conf, networkDataType), conf, initializer(),
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }
}

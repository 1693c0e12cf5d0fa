package org.nmt4j.attention.dl4j;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.attention.nd4j.NdAttention;

/** The runtime side of {@link AttentionVertex}: Java forward and exact backward over ND4J arrays. */
public final class AttentionVertexImpl extends BaseGraphVertex {

    private final AttentionVertex config;
    private final NdAttention attention;
    private final INDArray parameters;
    private INDArray gradientView;
    private INDArray keyMask;

    /** The last training forward pass and the inputs it saw, reused by the backward pass. */
    private NdAttention.Forward lastForward;
    private INDArray[] lastInputs;

    AttentionVertexImpl(ComputationGraph graph, String name, int index, AttentionVertex config,
                        INDArray parametersView, boolean initialize, DataType dataType) {
        super(graph, name, index, null, null, dataType);
        this.config = config;
        this.attention = new NdAttention(config.createNormalizer());
        this.parameters = parametersView;
        if (parametersView != null && initialize) {
            parametersView.assign(Nd4j.createFromArray(attention.normalizer().initialParameters())
                    .castTo(parametersView.dataType()).reshape(parametersView.shape()));
        }
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public String toString() {
        return "AttentionVertex(name=" + vertexName + ", normalizer=" + config.getNormalizer() + ")";
    }

    private double[] parameterValues() {
        return parameters == null ? new double[0] : parameters.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private NdAttention.Forward attend() {
        INDArray queries = inputs[0];
        INDArray keys = inputs[1];
        INDArray values = inputs[2];
        if (queries.rank() != 3 || keys.rank() != 3 || values.rank() != 3) {
            throw new IllegalArgumentException(vertexName + ": queries, keys and values must be rank 3 "
                    + "[batch, size, time]");
        }
        if (queries.size(1) != keys.size(1) || keys.size(2) != values.size(2)
                || queries.size(0) != keys.size(0) || keys.size(0) != values.size(0)) {
            throw new IllegalArgumentException(vertexName + ": incompatible shapes queries "
                    + Arrays.toString(queries.shape()) + ", keys " + Arrays.toString(keys.shape())
                    + ", values " + Arrays.toString(values.shape()));
        }
        int batch = (int) keys.size(0);
        int length = (int) keys.size(2);
        INDArray scores = Nd4j.matmul(queries, keys, true, false, false).muli(config.getScale());
        return attention.forward(scores, NdAttention.lengths(keyMask, batch, length), parameterValues());
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        NdAttention.Forward forward = attend();
        if (training) {
            lastForward = forward;
            lastInputs = inputs.clone();
        }
        INDArray context = Nd4j.matmul(inputs[2], forward.weights(), false, true, false);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, context);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        NdAttention.Forward forward = sameInputs() ? lastForward : attend();
        INDArray queries = inputs[0];
        INDArray keys = inputs[1];
        INDArray values = inputs[2];
        INDArray weights = forward.weights();
        INDArray valueGradient = Nd4j.matmul(epsilon, weights);
        INDArray weightGradient = Nd4j.matmul(epsilon, values, true, false, false);
        NdAttention.Gradients gradients = forward.backward(weightGradient);
        INDArray scoreGradient = gradients.scores().muli(config.getScale());
        INDArray queryGradient = Nd4j.matmul(keys, scoreGradient, false, true, false);
        INDArray keyGradient = Nd4j.matmul(queries, scoreGradient);

        Gradient gradient = new DefaultGradient();
        if (gradientView != null) {
            gradientView.assign(Nd4j.createFromArray(gradients.parameters()).castTo(gradientView.dataType())
                    .reshape(gradientView.shape()));
            gradient.gradientForVariable().put(AttentionVertex.TRANSITIONS, gradientView);
        }
        lastForward = null;
        lastInputs = null;
        return new Pair<>(gradient, new INDArray[] {
            workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, queryGradient),
            workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, keyGradient),
            workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, valueGradient)});
    }

    private boolean sameInputs() {
        if (lastForward == null || lastInputs == null) {
            return false;
        }
        for (int i = 0; i < inputs.length; i++) {
            if (lastInputs[i] != inputs[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        this.gradientView = backpropGradientsViewArray;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                          int minibatchSize) {
        keyMask = maskArrays == null ? null : maskArrays[1];
        return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
    }

    @Override
    public void clear() {
        super.clear();
        keyMask = null;
    }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropOnly) {
        return parameters == null ? Collections.emptyMap()
                : Collections.singletonMap(AttentionVertex.TRANSITIONS, parameters);
    }

    @Override
    public INDArray params() {
        return parameters;
    }

    @Override
    public INDArray getGradientsViewArray() {
        return gradientView;
    }

    @Override
    public TrainingConfig getConfig() {
        return config;
    }
}

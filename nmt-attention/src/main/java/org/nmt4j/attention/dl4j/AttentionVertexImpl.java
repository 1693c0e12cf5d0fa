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
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.attention.nd4j.NdAttention;

/** The runtime side of {@link AttentionVertex}: Java forward and exact backward over ND4J arrays. */
public final class AttentionVertexImpl extends BaseGraphVertex {

    private final AttentionVertex config;
    private final NdAttention attention;
    private final INDArray parameters;
    private INDArray gradientView;
    private INDArray keyMask;

    /** The last training forward pass, the inputs it saw and their C-order copies, reused by the backward pass. */
    private NdAttention.Forward lastForward;
    private INDArray[] lastInputs;
    private INDArray[] lastCOrderInputs;

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

    /**
     * Queries, keys and values in C order with default strides, copied into arrays of the given workspace type
     * where they are not. ND4J's batched matrix products take a path several times slower for F-order operands (the
     * layers before this vertex give F order): copying first is faster. Keys and values are usually the same
     * array, copied once.
     */
    private INDArray[] cOrderInputs(LayerWorkspaceMgr workspaceMgr, ArrayType type) {
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
        INDArray cKeys = cOrder(keys, workspaceMgr, type);
        return new INDArray[] {cOrder(queries, workspaceMgr, type), cKeys,
            values == keys ? cKeys : cOrder(values, workspaceMgr, type)};
    }

    private static INDArray cOrder(INDArray array, LayerWorkspaceMgr workspaceMgr, ArrayType type) {
        if (array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array)) {
            return array;
        }
        return workspaceMgr.createUninitialized(type, array.dataType(), array.shape(), 'c').assign(array);
    }

    private NdAttention.Forward attend(INDArray[] cOrderInputs) {
        INDArray keys = cOrderInputs[1];
        int batch = (int) keys.size(0);
        int length = (int) keys.size(2);
        INDArray scores = Nd4j.matmul(cOrderInputs[0], keys, true, false, false).muli(config.getScale());
        return attention.forward(scores, NdAttention.lengths(keyMask, batch, length), parameterValues());
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        // ACTIVATIONS: a training forward pass keeps the copies for the backward pass, as DL4J keeps activations
        INDArray[] cOrderInputs = cOrderInputs(workspaceMgr, ArrayType.ACTIVATIONS);
        NdAttention.Forward forward = attend(cOrderInputs);
        if (training) {
            lastForward = forward;
            lastInputs = inputs.clone();
            lastCOrderInputs = cOrderInputs;
        }
        INDArray context = Nd4j.matmul(cOrderInputs[2], forward.weights(), false, true, false);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, context);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        boolean reuse = sameInputs();
        INDArray[] cOrderInputs = reuse ? lastCOrderInputs : cOrderInputs(workspaceMgr, ArrayType.BP_WORKING_MEM);
        NdAttention.Forward forward = reuse ? lastForward : attend(cOrderInputs);
        INDArray queries = cOrderInputs[0];
        INDArray keys = cOrderInputs[1];
        INDArray values = cOrderInputs[2];
        INDArray upstream = cOrder(epsilon, workspaceMgr, ArrayType.BP_WORKING_MEM);
        INDArray weights = forward.weights();
        INDArray valueGradient = Nd4j.matmul(upstream, weights);
        INDArray weightGradient = Nd4j.matmul(upstream, values, true, false, false);
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
        lastCOrderInputs = null;
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

package org.nmt4j.attention.dl4j;

import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nmt4j.attention.AttentionNormalizer;
import org.nmt4j.attention.NormalizerOptions;
import org.nmt4j.attention.Normalizers;

/**
 * Configuration of a ComputationGraph vertex doing dot-product attention with a pluggable normalizer.
 *
 * <p>Inputs, in order: queries {@code [batch, H, T]}, keys {@code [batch, H, S]} (project them upstream for
 * Luong "general" scoring), values {@code [batch, D, S]}. Output: contexts {@code [batch, D, T]},
 * {@code context_t = Σ_s w[t][s] value_s} with {@code w = normalizer(scale · q_tᵀ k_s)} over the unmasked keys.
 * The key mask is the mask DL4J propagates along the keys' input; the output carries the queries' mask.
 * Structured normalizers own their 2×2 transition scores as the vertex parameter {@code transitions},
 * trained with {@link #getUpdater() the updater} given here (set it to the network's updater).
 * Forward and backward are the exact Java operators of {@code nmt-attention}; nothing is autodiffed.
 */
public class AttentionVertex extends GraphVertex implements TrainingConfig {

    /** Name of the parameter structured normalizers own. */
    public static final String TRANSITIONS = "transitions";

    private String normalizer = "softmax";
    private double gamma = 1.0;
    private boolean renormalize = false;
    private double scale = 1.0;
    private IUpdater updater = new NoOp();
    private String layerName;

    /** For JSON deserialization; prefer {@link #AttentionVertex(String, NormalizerOptions, double, IUpdater)}. */
    public AttentionVertex() {
    }

    public AttentionVertex(String normalizer, NormalizerOptions options, double scale, IUpdater updater) {
        Normalizers.create(normalizer, options); // validates the name and options
        this.normalizer = normalizer;
        this.gamma = options.gamma();
        this.renormalize = options.renormalize();
        this.scale = scale;
        this.updater = Objects.requireNonNull(updater, "updater");
    }

    /** A fresh normalizer as configured. */
    public AttentionNormalizer createNormalizer() {
        return Normalizers.create(normalizer, new NormalizerOptions(gamma, renormalize));
    }

    @Override
    public AttentionVertex clone() {
        AttentionVertex copy = new AttentionVertex(normalizer, new NormalizerOptions(gamma, renormalize), scale,
                updater.clone());
        copy.layerName = layerName;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AttentionVertex)) {
            return false;
        }
        AttentionVertex other = (AttentionVertex) o;
        return normalizer.equals(other.normalizer) && gamma == other.gamma && renormalize == other.renormalize
                && scale == other.scale && updater.equals(other.updater);
    }

    @Override
    public int hashCode() {
        return Objects.hash(normalizer, gamma, renormalize, scale, updater);
    }

    @Override
    public long numParams(boolean backprop) {
        return createNormalizer().parameterCount();
    }

    @Override
    public int minVertexInputs() {
        return 3;
    }

    @Override
    public int maxVertexInputs() {
        return 3;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        this.layerName = name;
        return new AttentionVertexImpl(graph, name, idx, this, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 3 || vertexInputs[0].getType() != InputType.Type.RNN
                || vertexInputs[2].getType() != InputType.Type.RNN) {
            throw new InvalidInputTypeException("attention vertex takes three recurrent inputs "
                    + "(queries, keys, values), got " + List.of(vertexInputs));
        }
        InputType.InputTypeRecurrent queries = (InputType.InputTypeRecurrent) vertexInputs[0];
        InputType.InputTypeRecurrent values = (InputType.InputTypeRecurrent) vertexInputs[2];
        return InputType.recurrent(values.getSize(), queries.getTimeSeriesLength());
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return null;
    }

    // TrainingConfig: how DL4J's updater treats the transition scores.

    @Override
    public String getLayerName() {
        return layerName;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return updater;
    }

    @Override
    public GradientNormalization getGradientNormalization() {
        return GradientNormalization.None;
    }

    @Override
    public double getGradientNormalizationThreshold() {
        return 1.0;
    }

    // Bean accessors, for DL4J's JSON configuration serialization.

    public String getNormalizer() {
        return normalizer;
    }

    public void setNormalizer(String normalizer) {
        this.normalizer = normalizer;
    }

    public double getGamma() {
        return gamma;
    }

    public void setGamma(double gamma) {
        this.gamma = gamma;
    }

    public boolean isRenormalize() {
        return renormalize;
    }

    public void setRenormalize(boolean renormalize) {
        this.renormalize = renormalize;
    }

    public double getScale() {
        return scale;
    }

    public void setScale(double scale) {
        this.scale = scale;
    }

    public IUpdater getUpdater() {
        return updater;
    }

    public void setUpdater(IUpdater updater) {
        this.updater = updater;
    }

    public void setLayerName(String layerName) {
        this.layerName = layerName;
    }
}

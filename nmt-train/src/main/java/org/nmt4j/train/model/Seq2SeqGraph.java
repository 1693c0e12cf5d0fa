package org.nmt4j.train.model;

import static org.nmt4j.core.model.ModelLayout.ATTENTION;
import static org.nmt4j.core.model.ModelLayout.ATTENTIONAL;
import static org.nmt4j.core.model.ModelLayout.BRIDGE;
import static org.nmt4j.core.model.ModelLayout.BRIDGE_POOL;
import static org.nmt4j.core.model.ModelLayout.BRIDGE_SEQUENCE;
import static org.nmt4j.core.model.ModelLayout.COMBINED;
import static org.nmt4j.core.model.ModelLayout.DECODER_INPUT;
import static org.nmt4j.core.model.ModelLayout.QUERY;
import static org.nmt4j.core.model.ModelLayout.OUTPUT;
import static org.nmt4j.core.model.ModelLayout.SOURCE;
import static org.nmt4j.core.model.ModelLayout.SOURCE_EMBEDDING;
import static org.nmt4j.core.model.ModelLayout.TARGET;
import static org.nmt4j.core.model.ModelLayout.TARGET_EMBEDDING;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nmt4j.attention.NormalizerOptions;
import org.nmt4j.attention.dl4j.AttentionVertex;
import org.nmt4j.core.model.ModelConfig;
import org.nmt4j.core.model.ModelLayout;

/**
 * Builds the training ComputationGraph of the encoder-decoder described by {@link ModelConfig}, with the layer
 * names of {@link ModelLayout}. Inputs: source ids {@code [B, 1, S]} and decoder input ids {@code [B, 1, T]}
 * (with their masks); labels: next-token ids {@code [B, 1, T]} with the target mask. The configuration has
 * {@code miniBatch(false)}: gradients are sums over tokens, which the trainer divides by the token count.
 */
public final class Seq2SeqGraph {

    private Seq2SeqGraph() {
    }

    /**
     * @param model          the architecture
     * @param sourceVocab    source vocabulary size
     * @param targetVocab    target vocabulary size
     * @param labelSmoothing ε of the loss
     * @param updater        the optimizer (also given to the attention vertex for its transition scores)
     * @param seed           seed of the weight initialisation
     * @param dataType       FLOAT for training, DOUBLE for gradient checks
     */
    public static ComputationGraph build(ModelConfig model, int sourceVocab, int targetVocab, double labelSmoothing,
                                         IUpdater updater, long seed, DataType dataType) {
        double keep = 1.0 - model.dropout();
        int hidden = model.hidden();
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(dataType).updater(updater).weightInit(WeightInit.XAVIER).miniBatch(false)
                .graphBuilder()
                .addInputs(SOURCE, TARGET)
                .setInputTypes(InputType.recurrent(sourceVocab), InputType.recurrent(targetVocab))
                .addLayer(SOURCE_EMBEDDING, new EmbeddingSequenceLayer.Builder()
                        .nIn(sourceVocab).nOut(model.embedding()).build(), SOURCE);

        String encoded = SOURCE_EMBEDDING;
        for (int i = 0; i < model.encoderLayers(); i++) {
            encoded = addBidirectionalLayer(graph, i, encoded, hidden / 2, keep);
        }

        graph.addLayer(BRIDGE_POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), encoded)
                .addLayer(BRIDGE, new DenseLayer.Builder().nOut(hidden).activation(Activation.TANH).build(),
                        BRIDGE_POOL)
                .addVertex(BRIDGE_SEQUENCE, new DuplicateToTimeSeriesVertex(TARGET), BRIDGE)
                .addLayer(TARGET_EMBEDDING, new EmbeddingSequenceLayer.Builder()
                        .nIn(targetVocab).nOut(model.embedding()).build(), TARGET)
                .addVertex(DECODER_INPUT, new FeatureConcatVertex(), TARGET_EMBEDDING, BRIDGE_SEQUENCE);

        String decoded = DECODER_INPUT;
        for (int i = 0; i < model.decoderLayers(); i++) {
            graph.addLayer(ModelLayout.decoder(i), lstm(hidden, keep), decoded);
            decoded = ModelLayout.decoder(i);
        }

        // Luong "general" score (q W)·k, W as a width-1 convolution over the decoder states (computed as one GEMM
        // by PointwiseConvolution1D): DL4J's TimeDistributed wrapper is not used, in 1.0.0-M2.1 it mixes up the
        // rows of a batch.
        String queries = decoded;
        if (model.scorer().equals("general")) {
            graph.addLayer(QUERY, PointwiseConvolution1D.of(new Convolution1DLayer.Builder(1).nIn(hidden)
                    .nOut(hidden).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY)
                    .hasBias(false).build()), decoded);
            queries = QUERY;
        }
        NormalizerOptions options = new NormalizerOptions(model.gamma(), model.renormalize());
        graph.addVertex(ATTENTION, new AttentionVertex(model.attention(), options, 1.0, updater),
                        queries, encoded, encoded)
                .addVertex(COMBINED, new FeatureConcatVertex(), decoded, ATTENTION)
                .addLayer(ATTENTIONAL, withDropout(new DenseLayer.Builder()
                        .nIn(2L * hidden).nOut(hidden).activation(Activation.TANH), keep).build(), COMBINED)
                .addLayer(OUTPUT, SinglePassOutputLayer.of(withDropout(
                        new RnnOutputLayer.Builder(new LabelSmoothedCrossEntropy(labelSmoothing))
                                .activation(Activation.SOFTMAX).nIn(hidden).nOut(targetVocab), keep).build()),
                        ATTENTIONAL)
                .setOutputs(OUTPUT);

        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        if (model.tieTargetEmbeddings()) {
            TiedEmbeddings.tie(net);
        }
        return net;
    }

    /**
     * One bidirectional encoder layer as two LSTMs. The backward one reads the input reversed within each
     * sentence's length ({@link ReverseWithinMaskVertex} on the source mask), which DL4J's {@code Bidirectional}
     * wrapper does not do: it reverses the padded series, and its backward outputs then depend on the padding.
     */
    private static String addBidirectionalLayer(ComputationGraphConfiguration.GraphBuilder graph, int i,
                                                String input, int units, double keep) {
        String reversedInput = ModelLayout.encoderBackward(i) + "_input";
        String reversedOutput = ModelLayout.encoderBackward(i) + "_output";
        graph.addLayer(ModelLayout.encoderForward(i), lstm(units, keep), input)
                .addVertex(reversedInput, new ReverseWithinMaskVertex(SOURCE), input)
                .addLayer(ModelLayout.encoderBackward(i), lstm(units, keep), reversedInput)
                .addVertex(reversedOutput, new ReverseWithinMaskVertex(SOURCE), ModelLayout.encoderBackward(i))
                .addVertex(ModelLayout.encoder(i), new FeatureConcatVertex(), ModelLayout.encoderForward(i), reversedOutput);
        return ModelLayout.encoder(i);
    }

    /** DL4J's LSTM, computed by {@link BatchedLstm}'s faster layer. */
    private static BatchedLstm lstm(int units, double keep) {
        return BatchedLstm.of(withDropout(new LSTM.Builder().nOut(units).activation(Activation.TANH), keep).build());
    }

    /** Dropout on the layer's input ({@link HashedDropout}, which takes the probability of keeping a value). */
    private static <B extends org.deeplearning4j.nn.conf.layers.Layer.Builder<B>> B withDropout(B builder,
                                                                                                 double keep) {
        return keep < 1.0 ? builder.dropOut(new HashedDropout(keep)) : builder;
    }
}

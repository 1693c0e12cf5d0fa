package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nmt4j.attention.NormalizerOptions;
import org.nmt4j.attention.Normalizers;
import org.nmt4j.attention.nd4j.NdAttention;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.model.DecoderState;
import org.nmt4j.core.model.DecoderStep;
import org.nmt4j.core.model.EncodedSource;
import org.nmt4j.core.model.GreedySearch;
import org.nmt4j.core.model.ModelConfig;
import org.nmt4j.core.model.ModelLayout;
import org.nmt4j.core.model.Seq2SeqModel;

/** The inference model against the training graph it reads its parameters from. */
class Seq2SeqModelTest {

    static final int SOURCE_VOCAB = 23;
    static final int TARGET_VOCAB = 19;
    static final int EOS = SyntheticTask.IDS.eos();
    static final double TOLERANCE = 1e-4;

    /** Every normalizer and scorer, one and two layers on each side; dropout must be off at inference. */
    static Stream<Arguments> architectures() {
        List<Arguments> cases = new ArrayList<>();
        for (String attention : Normalizers.NAMES) {
            for (String scorer : ModelConfig.SCORERS) {
                cases.add(Arguments.of(new ModelConfig(12, 16, 1, 2, attention, scorer, 1.0, false, 0.2, false)));
                cases.add(Arguments.of(new ModelConfig(12, 16, 2, 1, attention, scorer, 0.5, true, 0.2, false)));
            }
        }
        return cases.stream();
    }

    /**
     * Teacher-forced steps over a padded batch of mixed lengths, reordered midway like beam search, give the
     * graph's log-probabilities and attention weights at every unpadded position.
     */
    @ParameterizedTest
    @MethodSource("architectures")
    void stepsMatchTheTrainingGraph(ModelConfig config) {
        ComputationGraph net = graph(config, 7);
        int[][] sources = withoutEos(randomSources(new int[] {4, 7, 1, 5, 2}, 11));
        int[][] targets = randomIds(new int[] {3, 6, 2, 1, 5}, TARGET_VOCAB, new SplittableRandom(12));
        TokenizedCorpus corpus = corpus(sources, targets);
        Batch batch = Batch.assemble(corpus, range(sources.length), SyntheticTask.IDS, 0, 0);
        MultiDataSet data = TrainingBatch.of(batch, DataType.FLOAT);
        INDArray expected = Transforms.log(net.output(false, data.getFeatures(), data.getFeaturesMaskArrays(),
                data.getLabelsMaskArrays())[0]);
        INDArray expectedWeights = graphAttention(net, config, batch, data);

        Seq2SeqModel model = new Seq2SeqModel(config, net.paramTable());
        EncodedSource encoded = model.encode(sourceRows(batch));
        DecoderState state = model.start(encoded);
        int[] batchRow = range(sources.length);
        double logProbError = 0;
        double weightError = 0;
        for (int t = 0; t < batch.targetInput()[0].length; t++) {
            int[] tokens = new int[batchRow.length];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = batch.targetInput()[batchRow[i]][t];
            }
            DecoderStep step = model.step(state, tokens);
            INDArray logProbs = step.logProbs();
            assertArrayEquals(new long[] {batchRow.length, TARGET_VOCAB}, logProbs.shape());
            assertArrayEquals(new long[] {batchRow.length, encoded.maxLength()}, step.attention().shape());
            for (int i = 0; i < batchRow.length; i++) {
                int b = batchRow[i];
                if (t < batch.targetLengths()[b]) {
                    for (int v = 0; v < TARGET_VOCAB; v++) {
                        logProbError = Math.max(logProbError, Math.abs(logProbs.getDouble(i, v)
                                - expected.getDouble(b, v, t)));
                    }
                    for (int s = 0; s < encoded.maxLength(); s++) {
                        weightError = Math.max(weightError, Math.abs(step.attention().getDouble(i, s)
                                - expectedWeights.getDouble(b, t, s)));
                    }
                }
            }
            state = step.state();
            if (t == 1) {
                // Reorder like beam search: drop row 3, repeat row 1, change the order.
                int[] parents = {4, 1, 2, 1, 0};
                state = state.select(parents);
                int[] parentRows = batchRow;
                batchRow = Arrays.stream(parents).map(p -> parentRows[p]).toArray();
            }
        }
        assertTrue(logProbError < TOLERANCE, config + ": max |log p difference| " + logProbError);
        assertTrue(weightError < TOLERANCE, config + ": max |attention weight difference| " + weightError);
    }

    @Test
    void greedyOutputIsTheGraphsArgmaxUntilEosOrTheLengthBound() {
        ModelConfig config = new ModelConfig(12, 16, 2, 2, "sparsemax", "general", 1.0, false, 0.0, false);
        ComputationGraph net = graph(config, 3);
        // eos slightly favoured: some sentences stop at eos, others at the length bound.
        net.paramTable().get(ModelLayout.param(ModelLayout.OUTPUT, "b")).putScalar(EOS, 0.1);
        GreedySearch greedy = new GreedySearch(new Seq2SeqModel(config, net.paramTable()), SyntheticTask.IDS,
                1.5, 1);
        int[][] sources = randomSources(new int[] {3, 9, 1, 6, 2, 8, 4, 5}, 5);
        int[][] outputs = greedy.translate(sources);

        // Teacher-force each greedy output through the graph (a dummy target where the output is empty).
        for (int s = 0; s < sources.length; s++) {
            int[] target = outputs[s].length > 0 ? outputs[s] : new int[] {4};
            Batch alone = Batch.assemble(corpus(withoutEos(new int[][] {sources[s]}), new int[][] {target}),
                    new int[] {0}, SyntheticTask.IDS, 0, 0);
            MultiDataSet data = TrainingBatch.of(alone, DataType.FLOAT);
            INDArray argmax = net.output(false, data.getFeatures(), data.getFeaturesMaskArrays(),
                    data.getLabelsMaskArrays())[0].argMax(1);
            int bound = greedy.maxLength(sources[s].length - 1);
            assertTrue(outputs[s].length <= bound, "sentence " + s + " is longer than " + bound);
            for (int t = 0; t < outputs[s].length; t++) {
                assertEquals(argmax.getInt(0, t), outputs[s][t], "sentence " + s + ", token " + t);
            }
            if (outputs[s].length < bound) {
                assertEquals(EOS, argmax.getInt(0, outputs[s].length), "sentence " + s + " stopped without eos");
            }
        }
    }

    @Test
    void greedyBatchEqualsOneSentenceAtATime() {
        ModelConfig config = new ModelConfig(12, 16, 1, 1, "struct-l2", "dot", 1.0, false, 0.0, false);
        ComputationGraph net = graph(config, 5);
        GreedySearch greedy = new GreedySearch(new Seq2SeqModel(config, net.paramTable()), SyntheticTask.IDS,
                2.0, 3);
        int[][] sources = randomSources(new int[] {5, 1, 8, 3, 3, 6}, 9);
        int[][] batched = greedy.translate(sources);
        for (int s = 0; s < sources.length; s++) {
            assertArrayEquals(greedy.translate(new int[][] {sources[s]})[0], batched[s], "sentence " + s);
        }
    }

    @Test
    void greedyLengthBoundAndEos() {
        ModelConfig config = new ModelConfig(12, 16, 1, 1, "softmax", "general", 1.0, false, 0.0, false);
        ComputationGraph net = graph(config, 2);
        INDArray outputBias = net.paramTable().get(ModelLayout.param(ModelLayout.OUTPUT, "b"));
        int[][] sources = randomSources(new int[] {3, 1, 7}, 4);

        outputBias.putScalar(EOS, -100.0);
        Seq2SeqModel neverEos = new Seq2SeqModel(config, net.paramTable());
        int[][] bounded = new GreedySearch(neverEos, SyntheticTask.IDS, 1.5, 2).translate(sources);
        assertEquals(List.of(6, 3, 12), Arrays.stream(bounded).map(o -> o.length).toList());
        int[][] none = new GreedySearch(neverEos, SyntheticTask.IDS, 0, 0.5).translate(sources);
        assertEquals(List.of(0, 0, 0), Arrays.stream(none).map(o -> o.length).toList());

        outputBias.putScalar(EOS, 100.0);
        Seq2SeqModel alwaysEos = new Seq2SeqModel(config, net.paramTable());
        int[][] empty = new GreedySearch(alwaysEos, SyntheticTask.IDS, 1.5, 2).translate(sources);
        assertEquals(List.of(0, 0, 0), Arrays.stream(empty).map(o -> o.length).toList());
    }

    @Test
    void badInputIsRejectedWithAMessage() {
        ModelConfig config = new ModelConfig(12, 16, 1, 1, "struct-entropy", "general", 1.0, false, 0.0, false);
        ComputationGraph net = graph(config, 1);
        Seq2SeqModel model = new Seq2SeqModel(config, net.paramTable());

        assertMessage("at least one source", () -> model.encode(new int[0][]));
        assertMessage("source sentence 1 is empty", () -> model.encode(new int[][] {{5, EOS}, {}}));
        assertMessage("id 23 is outside the source vocabulary [0, 23)",
                () -> model.encode(new int[][] {{5, EOS}, {4, 23, EOS}}));
        assertMessage("id -1 is outside the source vocabulary", () -> model.encode(new int[][] {{-1, EOS}}));

        DecoderState state = model.start(model.encode(new int[][] {{5, EOS}, {6, 7, EOS}}));
        assertMessage("1 previous tokens for 2 hypotheses", () -> model.step(state, new int[] {2}));
        assertMessage("id 19 is outside the target vocabulary [0, 19)", () -> model.step(state, new int[] {2, 19}));
        assertMessage("row 2 at position 1 is not a hypothesis", () -> state.select(new int[] {0, 2}));
        assertMessage("at least one row", () -> state.select(new int[0]));

        Map<String, INDArray> missing = new HashMap<>(net.paramTable());
        missing.remove("attention_transitions");
        assertMessage("parameter attention_transitions is missing", () -> new Seq2SeqModel(config, missing));
        ModelConfig wider = new ModelConfig(12, 18, 1, 1, "struct-entropy", "general", 1.0, false, 0.0, false);
        assertMessage("parameter encoder_0_forward_W has shape [12, 32], expected [12, 36]",
                () -> new Seq2SeqModel(wider, net.paramTable()));
        assertMessage("length ratio", () -> new GreedySearch(model, SyntheticTask.IDS, -1, 0));
        assertMessage("length offset", () -> new GreedySearch(model, SyntheticTask.IDS, 1, Double.NaN));
    }

    private static void assertMessage(String part, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    /** A randomly initialised graph; structured normalizers get transition scores away from their zero init. */
    private static ComputationGraph graph(ModelConfig config, long seed) {
        ComputationGraph net = Seq2SeqGraph.build(config, SOURCE_VOCAB, TARGET_VOCAB, 0.0, new Adam(), seed,
                DataType.FLOAT);
        INDArray transitions = net.paramTable().get("attention_transitions");
        if (transitions != null) {
            transitions.assign(Nd4j.createFromArray(0.8f, -0.5f, -0.3f, 1.1f).reshape(transitions.shape()));
        }
        return net;
    }

    /** The attention weights of the graph, {@code [B, T, S]}, recomputed from its activations. */
    private static INDArray graphAttention(ComputationGraph net, ModelConfig config, Batch batch,
                                           MultiDataSet data) {
        net.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
        Map<String, INDArray> activations = net.feedForward(data.getFeatures(), false, false);
        net.clearLayerMaskArrays();
        INDArray queries = activations.get(config.scorer().equals("general") ? ModelLayout.QUERY
                : ModelLayout.decoder(config.decoderLayers() - 1));
        INDArray keys = activations.get(ModelLayout.encoder(config.encoderLayers() - 1));
        INDArray transitions = net.paramTable().get("attention_transitions");
        double[] parameters = transitions == null ? new double[0]
                : transitions.castTo(DataType.DOUBLE).dup().data().asDouble();
        NdAttention attention = new NdAttention(Normalizers.create(config.attention(),
                new NormalizerOptions(config.gamma(), config.renormalize())));
        return attention.forward(Nd4j.matmul(queries, keys, true, false, false), batch.sourceLengths(),
                parameters).weights();
    }

    /** Source rows as {@link Seq2SeqModel#encode} takes them: random ids of the given lengths, then eos. */
    private static int[][] randomSources(int[] lengths, long seed) {
        int[][] rows = randomIds(lengths, SOURCE_VOCAB, new SplittableRandom(seed));
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Arrays.copyOf(rows[i], rows[i].length + 1);
            rows[i][rows[i].length - 1] = EOS;
        }
        return rows;
    }

    private static int[][] randomIds(int[] lengths, int vocab, SplittableRandom random) {
        int[][] rows = new int[lengths.length][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.ints(lengths[i], 4, vocab).toArray();
        }
        return rows;
    }

    private static int[][] withoutEos(int[][] rows) {
        return Arrays.stream(rows).map(r -> Arrays.copyOf(r, r.length - 1)).toArray(int[][]::new);
    }

    private static int[][] sourceRows(Batch batch) {
        int[][] rows = new int[batch.size()][];
        for (int b = 0; b < rows.length; b++) {
            rows[b] = Arrays.copyOf(batch.source()[b], batch.sourceLengths()[b]);
        }
        return rows;
    }

    private static TokenizedCorpus corpus(int[][] sources, int[][] targets) {
        long[] lines = new long[sources.length];
        Arrays.setAll(lines, i -> i);
        return new TokenizedCorpus(sources, targets, lines, 0);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}

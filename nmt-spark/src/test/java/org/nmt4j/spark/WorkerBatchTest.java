package org.nmt4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.model.ModelConfig;
import org.nmt4j.core.text.SpecialIds;
import org.nmt4j.train.loop.GradientStep;
import org.nmt4j.train.model.Seq2SeqGraph;
import org.nmt4j.train.model.TrainingBatch;

/**
 * Without Spark: DL4J's own {@code fit} on a {@link WorkerBatch} with the {@link GradientStepListener} makes the
 * same updates as nmt-train's {@link GradientStep} (per-token loss, padding rows, tied embeddings, global clipping).
 */
class WorkerBatchTest {

    private static final int VOCAB = 14;
    private static final SpecialIds IDS = SpecialIds.NMT4J;

    static TokenizedCorpus corpus(int pairs, long seed) {
        Random random = new Random(seed);
        int[][] source = new int[pairs][];
        int[][] target = new int[pairs][];
        long[] lines = new long[pairs];
        for (int i = 0; i < pairs; i++) {
            source[i] = random.ints(2 + random.nextInt(6), 4, VOCAB).toArray();
            target[i] = random.ints(2 + random.nextInt(6), 4, VOCAB).toArray();
            lines[i] = i;
        }
        return new TokenizedCorpus(source, target, lines, 0);
    }

    private static ComputationGraph net(String attention) {
        ModelConfig model = new ModelConfig(8, 8, 1, 1, attention, "general", 1.0, false, 0.0, true);
        return Seq2SeqGraph.build(model, VOCAB, VOCAB, 0.1, new Adam(0.01), 3, DataType.FLOAT);
    }

    private static ComputationGraph workerNet(String attention) {
        ComputationGraph net = net(attention);
        TokenMeanCrossEntropy.install(net, 0.1);
        net.setListeners(new GradientStepListener(0.5, true, null));
        return net;
    }

    @Test
    void dl4jFitWithTheListenerMakesTheUpdatesOfGradientStep() {
        TokenizedCorpus corpus = corpus(8, 1);
        for (String attention : List.of("softmax", "struct-l2")) {
            ComputationGraph reference = net(attention);
            ComputationGraph worker = workerNet(attention);
            GradientStep step = new GradientStep(reference, 0.5, true);
            int[][] batches = {{0, 1, 2}, {3, 4, 5, 6, 7}};
            for (int i = 0; i < batches.length; i++) {
                Batch batch = Batch.assemble(corpus, batches[i], IDS, 0, 0);
                step.accumulate(TrainingBatch.of(batch, DataType.FLOAT), TrainingBatch.targetTokens(batch));
                GradientStep.Update update = step.apply(i, 0);
                assertTrue(update.gradientNorm() > 0.5, "the test should exercise clipping");
                worker.fit(WorkerBatch.of(corpus, batches[i], 5, IDS));
                assertEquals(update.loss(), worker.score(), 1e-5, attention + " loss of update " + i);
                assertTrue(reference.params().equalsWithEps(worker.params(), 1e-5),
                        attention + ": parameters differ after update " + i);
            }
            assertEquals(2, worker.getConfiguration().getIterationCount(), "DL4J counts the updates");
            assertTrue(worker.getParam("target_embedding_W").transpose()
                    .equalsWithEps(worker.getParam("output_W"), 1e-6), "tied embeddings stay tied");
        }
    }

    @Test
    void aNonFiniteLossStopsTheWorkerBeforeTheUpdate() {
        TokenizedCorpus corpus = corpus(4, 4);
        ComputationGraph worker = workerNet("softmax");
        worker.getParam("output_b").putScalar(0, Double.NaN);
        var before = worker.params().dup();
        // The attention operators or the listener refuse it; SparkTraining recognises both in a failed Spark job.
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> worker.fit(WorkerBatch.of(corpus, new int[] {0, 1}, 2, IDS)));
        assertTrue(GradientStepListener.isNonFinite(new RuntimeException("Job aborted", e)), e.getMessage());
        assertTrue(java.util.Arrays.equals(before.toFloatVector(), worker.params().toFloatVector()),
                "parameters untouched");
        assertThrows(IllegalStateException.class, () -> new GradientStepListener(0, false, null)
                .onGradientCalculation(worker), "the listener itself refuses the NaN score");
    }

    @Test
    void paddingRowsWeighNothing() {
        TokenizedCorpus corpus = corpus(4, 2);
        var data = WorkerBatch.of(corpus, new int[] {2, 0}, 4, IDS);
        assertEquals(4, data.getFeatures(0).size(0));
        assertEquals(corpus.target(2).length + corpus.target(0).length + 2,
                data.getLabelsMaskArray(0).sumNumber().doubleValue(), 1e-6, "the real tokens count");
        assertEquals(0.0, data.getLabelsMaskArray(0).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).sumNumber().doubleValue(), 0.0);
        assertEquals(corpus.target(2).length + corpus.target(0).length + 2,
                WorkerBatch.targetTokens(corpus, new int[] {2, 0}));
        assertThrows(IllegalArgumentException.class, () -> WorkerBatch.of(corpus, new int[] {0, 1, 2}, 2, IDS));
    }

    @Test
    void plannerCoversEveryPairOncePerEpochInFixedSizeBatches() {
        TokenizedCorpus corpus = corpus(23, 3);
        SentenceBatchPlanner planner = new SentenceBatchPlanner(corpus, 5);
        assertEquals(5, planner.batchesPerEpoch());
        List<int[]> epoch0 = planner.plan(7, 0);
        Set<Integer> seen = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (int[] batch : epoch0) {
            sizes.add(batch.length);
            for (int i : batch) {
                assertTrue(seen.add(i), "pair " + i + " twice");
            }
        }
        assertEquals(23, seen.size());
        assertEquals(4, sizes.stream().filter(n -> n == 5).count());
        assertTrue(sizes.contains(3));
        assertEquals(epoch0.stream().map(java.util.Arrays::toString).toList(),
                planner.plan(7, 0).stream().map(java.util.Arrays::toString).toList(), "deterministic");
        int rows = SentenceBatchPlanner.rowsFor(corpus, 60);
        assertTrue(rows >= 1 && rows <= 60, "rows " + rows);
    }
}

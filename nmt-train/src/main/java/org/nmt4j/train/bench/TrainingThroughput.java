package org.nmt4j.train.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nmt4j.attention.Normalizers;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.BatchIterator;
import org.nmt4j.core.data.BatchPlanner;
import org.nmt4j.core.data.LengthLimits;
import org.nmt4j.core.data.ParallelTextReader;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.loop.GradientStep;
import org.nmt4j.train.model.Seq2SeqGraph;
import org.nmt4j.train.model.TrainingBatch;
import org.nmt4j.train.model.VectorAdam;

/**
 * Training throughput of the four attention variants side by side: the same configuration, the same batches,
 * {@code warmup} untimed then {@code updates} timed updates each; prints target tokens/s and seconds per update.
 * Every variant's untimed updates run before the first timed one, so that no variant pays for the JIT compilation
 * of code that all of them share (measured first, a variant was 10–20% slower than in steady state).
 * Arguments: {@code [config.yaml|-] [updates] [warmup] [key=value …]}; with {@code model.attention=…} among the
 * overrides, only that variant is measured.
 */
public final class TrainingThroughput {

    private TrainingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 && !args[0].equals("-") ? Path.of(args[0]) : null;
        int updates = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<String> overrides = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
        TrainConfig config = TrainConfig.load(file, overrides);
        try (SubwordTokenizer src = SubwordTokenizer.load(Path.of(config.data().sourceSpm()));
             SubwordTokenizer tgt = SubwordTokenizer.load(Path.of(config.data().targetSpm()));
             ParallelTextReader reader = ParallelTextReader.open(Path.of(config.data().trainSource()),
                     Path.of(config.data().trainTarget()),
                     new LengthLimits(config.data().maxChars(), config.data().maxWords()))) {
            TokenizedCorpus corpus = TokenizedCorpus.tokenize(reader, src, tgt, config.data().maxSourceSubwords(),
                    config.data().maxTargetSubwords());
            BatchIterator iterator = new BatchIterator(new BatchPlanner(corpus, config.train().batchTokens()),
                    tgt.specialIds(), config.train().seed());
            List<Batch> batches = new ArrayList<>();
            for (int i = 0; i < warmup + updates; i++) {
                batches.add(iterator.next());
            }
            List<Run> runs = new ArrayList<>();
            boolean oneVariant = overrides.stream().anyMatch(o -> o.startsWith("model.attention="));
            for (String attention : oneVariant ? List.of(config.model().attention()) : Normalizers.NAMES) {
                ComputationGraph net = Seq2SeqGraph.build(config.model().withAttention(attention), src.vocabSize(),
                        tgt.vocabSize(), config.train().labelSmoothing(), new VectorAdam(config.train().learningRate()),
                        config.train().seed(), DataType.FLOAT);
                Run run = new Run(attention, net, new GradientStep(net, config.train().clipNorm(),
                        config.model().tieTargetEmbeddings()));
                run.update(batches, 0, warmup);
                runs.add(run);
            }
            System.out.printf("%-15s %12s %12s %10s%n", "attention", "target tok/s", "s/update", "params");
            for (Run run : runs) {
                long start = System.nanoTime();
                long tokens = run.update(batches, warmup, warmup + updates);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%-15s %12.0f %12.3f %10d%n", run.attention(), tokens / seconds, seconds / updates,
                        run.net().numParams());
            }
        }
    }

    /** One variant's network and its optimizer step. */
    private record Run(String attention, ComputationGraph net, GradientStep step) {

        /** Trains on batches {@code [from, to)}; returns their target tokens. */
        long update(List<Batch> batches, int from, int to) {
            long tokens = 0;
            for (int i = from; i < to; i++) {
                Batch batch = batches.get(i);
                MultiDataSet data = TrainingBatch.of(batch, DataType.FLOAT);
                step.accumulate(data, TrainingBatch.targetTokens(batch));
                step.apply(i, 0);
                tokens += TrainingBatch.targetTokens(batch);
            }
            return tokens;
        }
    }
}

package org.nmt4j.train.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
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

/**
 * Training throughput of the four attention variants side by side: the same configuration, the same batches,
 * {@code warmup} untimed then {@code updates} timed updates each; prints target tokens/s and seconds per update.
 * Arguments: {@code [config.yaml|-] [updates] [warmup] [key=value …]}.
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
            System.out.printf("%-15s %12s %12s %10s%n", "attention", "target tok/s", "s/update", "params");
            for (String attention : Normalizers.NAMES) {
                ComputationGraph net = Seq2SeqGraph.build(config.model().withAttention(attention), src.vocabSize(),
                        tgt.vocabSize(), config.train().labelSmoothing(), new Adam(config.train().learningRate()),
                        config.train().seed(), DataType.FLOAT);
                GradientStep step = new GradientStep(net, config.train().clipNorm(),
                        config.model().tieTargetEmbeddings());
                long tokens = 0;
                long start = 0;
                for (int i = 0; i < batches.size(); i++) {
                    if (i == warmup) {
                        start = System.nanoTime();
                    }
                    Batch batch = batches.get(i);
                    MultiDataSet data = TrainingBatch.of(batch, DataType.FLOAT);
                    step.accumulate(data, TrainingBatch.targetTokens(batch));
                    step.apply(i, 0);
                    if (i >= warmup) {
                        tokens += TrainingBatch.targetTokens(batch);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%-15s %12.0f %12.3f %10d%n", attention, tokens / seconds, seconds / updates,
                        net.numParams());
            }
        }
    }
}

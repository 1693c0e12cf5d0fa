package org.nmt4j.serve.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.loop.TrainerState;
import org.nmt4j.train.report.MetricsCsv;

/**
 * What a comparison reports about how a model was trained, read from its model directory.
 *
 * @param attention            the attention normalizer ({@code model.attention})
 * @param seed                 {@code train.seed}
 * @param parameters           number of trained parameters (all of them: embeddings, LSTMs, attention transitions…)
 * @param updates              updates done (from {@code last.zip}; 0 when the directory has none)
 * @param trainingMinutes      training wall-clock minutes over all runs, validation included (NaN without
 *                             {@code last.zip})
 * @param tokensPerSecond      median of the throughput rows of {@code metrics.csv} (target tokens per second,
 *                             validation excluded); NaN without rows
 * @param devCurve             the validation rows of {@code metrics.csv} (dev BLEU over time)
 */
public record TrainingFacts(String attention, long seed, long parameters, int updates, double trainingMinutes,
        double tokensPerSecond, List<MetricsCsv.Row> devCurve) {

    /** Reads the facts of {@code directory}; the parameter count comes from the checkpoint file {@code checkpoint}. */
    public static TrainingFacts read(ModelDirectory directory, Path checkpoint) throws IOException {
        TrainConfig config = TrainConfig.resume(directory.config(), List.of());
        long parameters = Checkpoint.read(checkpoint).parameters().values().stream().mapToLong(p -> p.length()).sum();
        int updates = 0;
        double minutes = Double.NaN;
        if (Files.exists(directory.last())) {
            TrainerState state = TrainerState.fromJson(Checkpoint.read(directory.last()).trainerStateJson());
            updates = state.step();
            minutes = state.trainingSeconds() / 60;
        }
        List<MetricsCsv.Row> rows = Files.exists(directory.metrics()) ? MetricsCsv.read(directory.metrics())
                : List.of();
        double[] throughput = rows.stream().mapToDouble(MetricsCsv.Row::targetTokensPerSecond)
                .filter(Double::isFinite).sorted().toArray();
        double median = throughput.length == 0 ? Double.NaN
                : (throughput[(throughput.length - 1) / 2] + throughput[throughput.length / 2]) / 2;
        List<MetricsCsv.Row> dev = rows.stream().filter(r -> Double.isFinite(r.devBleu())).toList();
        return new TrainingFacts(config.model().attention(), config.train().seed(), parameters, updates, minutes,
                median, dev);
    }
}

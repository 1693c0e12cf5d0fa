package org.nmt4j.train.loop;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.BatchIterator;
import org.nmt4j.core.data.BatchPlanner;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.config.TrainingOptions;
import org.nmt4j.train.model.Seq2SeqGraph;
import org.nmt4j.train.model.TrainingBatch;
import org.nmt4j.train.model.VectorAdam;
import org.nmt4j.train.report.MetricsCsv;

/**
 * The training loop: token-based batches, Adam with warm-up and decay (inverse square root, or reduction on a
 * plateau of the dev score: {@link PlateauDecay}), validation every N updates with dev loss, greedy BLEU and
 * chrF, atomic checkpoints (last, best, recent steps) and exact resumption. Stops at the configured step, epoch
 * or time limit, on early stopping, or when {@link #requestStop()} is called (Ctrl-C), always leaving a valid
 * {@code last.zip}.
 */
public final class Trainer {

    /** {@link Summary#stopReason()} of a run stopped by {@link #requestStop()}. */
    public static final String INTERRUPTED = "interrupted";

    /** Updates between two rows of metrics.csv and two progress lines when there is no terminal. */
    private static final int LOG_EVERY = 10;

    private final TrainConfig config;
    private final ModelDirectory directory;
    private final PrintStream console;
    private final ModelDirectoryWriter writer;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    /** How training ended. */
    public record Summary(int steps, int epochs, double trainingSeconds, long targetTokens, Validation last,
            double bestScore, int bestStep, String stopReason) {
        public double targetTokensPerSecond() {
            return trainingSeconds == 0 ? 0 : targetTokens / trainingSeconds;
        }
    }

    /** Thrown when training cannot go on (non-finite loss); the last good checkpoint is kept. */
    public static final class TrainingFailedException extends RuntimeException {
        TrainingFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Trainer(TrainConfig config, ModelDirectory directory, PrintStream console) {
        this.config = config;
        this.directory = directory;
        this.console = console;
        this.writer = new ModelDirectoryWriter(config, directory, console);
    }

    /** Asks the loop to stop after the current update; it then validates and saves as at a normal end. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /**
     * Trains a new model in an empty (or absent) directory, or continues the one there.
     *
     * @param resume continue from {@code last.zip}; without it a directory holding checkpoints is refused
     */
    public Summary run(boolean resume) throws IOException {
        writer.prepare(resume);
        TrainingOptions options = config.train();
        try (SubwordTokenizer sourceTokenizer = SubwordTokenizer.load(directory.sourceSpm());
             SubwordTokenizer targetTokenizer = SubwordTokenizer.load(directory.targetSpm())) {
            TrainingData training = TrainingData.read(config, sourceTokenizer, targetTokenizer, writer);
            TokenizedCorpus corpus = training.corpus();
            DevSet dev = training.dev();

            ComputationGraph net = Seq2SeqGraph.build(config.model(), sourceTokenizer.vocabSize(),
                    targetTokenizer.vocabSize(), options.labelSmoothing(),
                    new VectorAdam(WarmupSchedule.of(options)),
                    options.seed(), DataType.FLOAT);
            BatchPlanner planner = new BatchPlanner(corpus, options.batchTokens());
            TrainerState state;
            BatchIterator batches;
            if (resume) {
                state = restore(net);
                dropMetricsAfter(state.step());
                batches = BatchIterator.resume(planner, targetTokenizer.specialIds(), state.iterator());
                writer.log("resumed from " + directory.last() + " at update " + state.step());
            } else {
                batches = new BatchIterator(planner, targetTokenizer.specialIds(), options.seed());
                state = new TrainerState(0, batches.state(), 0, 0, Double.NEGATIVE_INFINITY, 0, 0,
                        PlateauDecay.State.START);
                writer.log("model: " + net.numParams() + " parameters, attention " + config.model().attention());
            }
            return loop(net, batches, dev, state, targetTokenizer);
        } finally {
            // nmt compare trains several models in one JVM: release this graph's workspaces, which otherwise stay
            // with the thread (a 4-model comparison without this was killed at 24 GB RSS after its trainings).
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    private TrainerState restore(ComputationGraph net) throws IOException {
        Checkpoint checkpoint = Checkpoint.read(directory.last());
        Map<String, INDArray> table = net.paramTable();
        for (Map.Entry<String, INDArray> entry : table.entrySet()) {
            INDArray saved = checkpoint.parameters().get(entry.getKey());
            if (saved == null) {
                throw new IllegalArgumentException(directory.last() + " has no parameter " + entry.getKey()
                        + "; it was trained with another model configuration");
            }
            if (!java.util.Arrays.equals(saved.shape(), entry.getValue().shape())) {
                throw new IllegalArgumentException(directory.last() + ": parameter " + entry.getKey() + " has shape "
                        + java.util.Arrays.toString(saved.shape()) + " but the model and vocabularies give "
                        + java.util.Arrays.toString(entry.getValue().shape())
                        + " (vocabulary or configuration mismatch)");
            }
            entry.getValue().assign(saved);
        }
        INDArray updater = net.getUpdater().getStateViewArray();
        if (checkpoint.optimizerState() == null || checkpoint.optimizerState().length() != updater.length()) {
            throw new IllegalArgumentException(directory.last() + " has no matching optimizer state to resume from");
        }
        updater.assign(checkpoint.optimizerState().reshape(updater.shape()));
        return TrainerState.fromJson(checkpoint.trainerStateJson());
    }

    private Summary loop(ComputationGraph net, BatchIterator batches, DevSet dev, TrainerState start,
                         SubwordTokenizer targetTokenizer) throws IOException {
        TrainingOptions options = config.train();
        GradientStep gradientStep = new GradientStep(net, options.clipNorm(), config.model().tieTargetEmbeddings());
        int step = start.step();
        double bestScore = start.bestScore();
        int bestStep = start.bestStep();
        int stale = start.validationsWithoutImprovement();
        PlateauDecay decay = PlateauDecay.of(options);
        PlateauDecay.State plateau = start.plateau();
        double secondsBefore = start.trainingSeconds();
        long tokensBefore = start.targetTokens();
        long runStart = System.nanoTime();
        long runTokens = 0;
        double windowLoss = 0;
        long windowTokens = 0;
        long windowStart = System.nanoTime();
        Validation lastValidation = null;
        String stopReason = limitReached(step, epochsDone(batches));
        if (stopReason != null) {
            writer.log("nothing to do: " + stopReason);
        }
        GradientStep.Update update = null;

        try (ProgressBar bar = progressBar(step)) {
            while (stopReason == null) {
                try {
                    for (int k = 0; k < options.accumulate(); k++) {
                        Batch batch = batches.next();
                        Nd4j.getRandom().setSeed(options.seed() * 1_000_003L + (long) step * options.accumulate() + k);
                        gradientStep.accumulate(TrainingBatch.of(batch, DataType.FLOAT),
                                TrainingBatch.targetTokens(batch));
                    }
                    update = gradientStep.apply(step, batches.epoch(), decay.factor(plateau));
                } catch (GradientStep.NonFiniteLossException e) {
                    throw new TrainingFailedException("training stopped at update " + (step + 1) + ": "
                            + e.getMessage() + ". The last good checkpoint is " + directory.last()
                            + "; lower train.learning_rate or train.clip_norm and resume.", e);
                }
                step++;
                runTokens += update.tokens();
                windowLoss += update.loss() * update.tokens();
                windowTokens += update.tokens();
                double elapsed = secondsBefore + (System.nanoTime() - runStart) / 1e9;
                if (bar != null) {
                    bar.stepTo(step);
                    bar.setExtraMessage(String.format("epoch %d loss %.3f %.0f tok/s", batches.epoch() + 1,
                            update.loss(), runTokens / ((System.nanoTime() - runStart) / 1e9)));
                }
                if (step % LOG_EVERY == 0) {
                    double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
                    MetricsCsv.append(directory.metrics(), new MetricsCsv.Row(step, batches.epoch(), elapsed,
                            windowLoss / windowTokens, update.learningRate(), windowTokens / windowSeconds,
                            Double.NaN, Double.NaN, Double.NaN, Double.NaN));
                    if (bar == null) {
                        console.printf("update %d epoch %d loss %.4f lr %.2e %.0f target tok/s%n", step,
                                batches.epoch() + 1, windowLoss / windowTokens, update.learningRate(),
                                windowTokens / windowSeconds);
                    }
                    windowLoss = 0;
                    windowTokens = 0;
                    windowStart = System.nanoTime();
                }
                stopReason = stopReason(step, epochsDone(batches), (System.nanoTime() - runStart) / 6e10);
                if (stopReason == null && step % options.validateEvery() != 0) {
                    continue;
                }
                // Validate and save.
                lastValidation = dev.validate(net, config.model());
                double score = lastValidation.score(options.bestMetric());
                boolean improved = score > bestScore;
                if (improved) {
                    bestScore = score;
                    bestStep = step;
                    stale = 0;
                } else {
                    stale++;
                }
                PlateauDecay.State reached = decay.after(plateau, step, improved);
                double seconds = secondsBefore + (System.nanoTime() - runStart) / 1e9;
                TrainerState state = new TrainerState(step, batches.state(), seconds, tokensBefore + runTokens,
                        bestScore, bestStep, stale, reached);
                writer.save(net, state, improved);
                writer.recordValidation(step, batches.epoch(), seconds, update.learningRate(), lastValidation,
                        improved);
                double factor = decay.factor(reached);
                if (factor < decay.factor(plateau)) {
                    writer.log(String.format("learning rate reduced to %.2e (%.3g x train.learning_rate): no "
                            + "improvement of dev %s in %d validations", options.learningRate() * factor, factor,
                            options.bestMetric(), options.plateauPatience()));
                }
                plateau = reached;
                if (stopReason == null && options.patience() > 0 && stale >= options.patience()) {
                    stopReason = "no improvement of dev " + options.bestMetric() + " in " + stale + " validations";
                }
            }
        }
        double seconds = secondsBefore + (System.nanoTime() - runStart) / 1e9;
        writer.averageCheckpoints();
        writer.log("stopped: " + stopReason);
        return new Summary(step, epochsDone(batches), seconds, tokensBefore + runTokens, lastValidation, bestScore,
                bestStep, stopReason);
    }

    /** A resumed run repeats the updates after the checkpoint: their old metrics rows go. */
    private void dropMetricsAfter(int step) throws IOException {
        if (!Files.exists(directory.metrics())) {
            return;
        }
        List<MetricsCsv.Row> rows = MetricsCsv.read(directory.metrics());
        Files.delete(directory.metrics());
        for (MetricsCsv.Row row : rows) {
            if (row.step() <= step) {
                MetricsCsv.append(directory.metrics(), row);
            }
        }
    }

    /** Epochs whose every batch has been trained on. */
    private static int epochsDone(BatchIterator batches) {
        return batches.epoch() + (batches.state().position() == batches.batchesInEpoch() ? 1 : 0);
    }

    private String stopReason(int step, int epochsDone, double runMinutes) {
        if (stopRequested.get()) {
            return INTERRUPTED;
        }
        String limit = limitReached(step, epochsDone);
        if (limit != null) {
            return limit;
        }
        double maxMinutes = config.train().maxMinutes();
        return maxMinutes > 0 && runMinutes >= maxMinutes ? "reached train.max_minutes = " + maxMinutes : null;
    }

    private String limitReached(int step, int epochsDone) {
        TrainingOptions options = config.train();
        if (options.maxSteps() > 0 && step >= options.maxSteps()) {
            return "reached train.max_steps = " + options.maxSteps();
        }
        if (options.maxEpochs() > 0 && epochsDone >= options.maxEpochs()) {
            return "reached train.max_epochs = " + options.maxEpochs();
        }
        return null;
    }

    private ProgressBar progressBar(int step) {
        if (System.console() == null) {
            return null;
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setStyle(ProgressBarStyle.ASCII)
                .setInitialMax(config.train().maxSteps() > 0 ? config.train().maxSteps() : -1)
                .setUnit(" updates", 1).setUpdateIntervalMillis(1000).build();
        bar.stepTo(step);
        return bar;
    }
}

package org.nmt4j.train.loop;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.report.MetricsCsv;
import org.nmt4j.train.report.TrainingCurves;
import org.nmt4j.train.loop.TrainerState;

/**
 * Writes a model directory during training: config.yaml, the SentencePiece models, last.zip, best.zip, step
 * checkpoints, averaged.zip and train.log. Shared by {@link Trainer} and data-parallel trainers, so that every model
 * directory has the same layout.
 */
public final class ModelDirectoryWriter {

    private final TrainConfig config;
    private final ModelDirectory directory;
    private final PrintStream console;

    public ModelDirectoryWriter(TrainConfig config, ModelDirectory directory, PrintStream console) {
        this.config = config;
        this.directory = directory;
        this.console = console;
    }

    /**
     * Creates the directory with the configuration and tokenizer models, or with {@code resume} checks that there is
     * a {@code last.zip} to continue from. Without {@code resume}, a directory that holds a model is refused.
     */
    public void prepare(boolean resume) throws IOException {
        Files.createDirectories(directory.root());
        if (resume) {
            if (!Files.exists(directory.last())) {
                throw new IllegalArgumentException("nothing to resume: " + directory.last() + " does not exist");
            }
            return;
        }
        if (Files.exists(directory.last()) || !directory.stepCheckpoints().isEmpty()) {
            throw new IllegalArgumentException(directory.root() + " already holds a trained model; pass --resume "
                    + "to continue it, or choose another model directory");
        }
        copyTokenizerModel(Path.of(config.data().sourceSpm()), directory.sourceSpm());
        copyTokenizerModel(Path.of(config.data().targetSpm()), directory.targetSpm());
        Files.writeString(directory.config(), config.toYaml(), StandardCharsets.UTF_8);
        Files.deleteIfExists(directory.metrics());
    }

    private static void copyTokenizerModel(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) {
            throw new IllegalArgumentException("SentencePiece model " + from + " does not exist; train one with "
                    + "corpora-scripts/train-spm.sh");
        }
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes last.zip (and best.zip, and a step checkpoint, pruning old ones) from the graph's parameters. */
    public void save(ComputationGraph net, TrainerState state, boolean best) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.yaml", Files.readAllBytes(directory.config()));
        files.put("source.spm.model", Files.readAllBytes(directory.sourceSpm()));
        files.put("target.spm.model", Files.readAllBytes(directory.targetSpm()));
        new Checkpoint(new LinkedHashMap<>(net.paramTable()), net.getUpdater().getStateViewArray(), state.toJson(),
                files).write(directory.last());
        if (best) {
            Checkpoint.copy(directory.last(), directory.best());
        }
        if (config.train().keepCheckpoints() > 0) {
            Checkpoint.copy(directory.last(), directory.step(state.step()));
            List<Path> steps = directory.stepCheckpoints();
            for (int i = 0; i < steps.size() - config.train().keepCheckpoints(); i++) {
                Files.deleteIfExists(steps.get(i));
            }
        }
    }

    /** averaged.zip from the last train.average_last step checkpoints, if configured and available. */
    public void averageCheckpoints() throws IOException {
        int n = config.train().averageLast();
        List<Path> steps = directory.stepCheckpoints();
        if (n <= 0 || steps.size() < n) {
            return;
        }
        List<Path> chosen = steps.subList(steps.size() - n, steps.size());
        Checkpoint last = Checkpoint.read(chosen.get(chosen.size() - 1));
        new Checkpoint(Checkpoint.average(chosen), null, last.trainerStateJson(), last.files())
                .write(directory.averaged());
        log("averaged " + chosen.size() + " checkpoints into " + directory.averaged());
    }

    /**
     * Records a validation: its row of metrics.csv, the redrawn curves.png and a line of train.log.
     *
     * @param seconds training seconds so far
     */
    public void recordValidation(int step, int epoch, double seconds, double learningRate, Validation validation,
                                 boolean improved) throws IOException {
        MetricsCsv.append(directory.metrics(), new MetricsCsv.Row(step, epoch, seconds, Double.NaN, learningRate,
                Double.NaN, validation.loss(), validation.perplexity(), validation.bleu(), validation.chrf()));
        TrainingCurves.plot(directory.metrics(), directory.curves());
        log(String.format("validation at update %d: dev loss %.4f ppl %.2f BLEU %.2f chrF %.2f (%d sentences, %.1f s)%s",
                step, validation.loss(), validation.perplexity(), validation.bleu(), validation.chrf(),
                validation.sentences(), validation.seconds(), improved ? " new best" : ""));
    }

    /** Prints a line and appends it, time-stamped, to train.log. */
    public void log(String message) throws IOException {
        String line = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " " + message;
        console.println(message);
        Files.writeString(directory.log(), line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}

package org.nmt4j.spark;

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
import org.nmt4j.train.loop.TrainerState;

/**
 * Writes a model directory exactly as nmt-train's {@code Trainer} does (config.yaml, the SentencePiece models,
 * last.zip, best.zip, step checkpoints, averaged.zip, train.log), so that {@code nmt translate -m DIR} and the other
 * commands take a Spark-trained model like any other.
 */
final class ModelDirectoryWriter {

    private final TrainConfig config;
    private final ModelDirectory directory;
    private final PrintStream console;

    ModelDirectoryWriter(TrainConfig config, ModelDirectory directory, PrintStream console) {
        this.config = config;
        this.directory = directory;
        this.console = console;
    }

    /** Creates the directory with the configuration and tokenizer models; refuses one that holds a model. */
    void prepare() throws IOException {
        Files.createDirectories(directory.root());
        if (Files.exists(directory.last()) || !directory.stepCheckpoints().isEmpty()) {
            throw new IllegalArgumentException(directory.root() + " already holds a trained model; choose another "
                    + "model directory (--resume is not supported with --spark-master)");
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
    void save(ComputationGraph net, TrainerState state, boolean best) throws IOException {
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
    void averageCheckpoints() throws IOException {
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

    /** Prints a line and appends it, time-stamped, to train.log. */
    void log(String message) throws IOException {
        String line = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " " + message;
        console.println(message);
        Files.writeString(directory.log(), line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}

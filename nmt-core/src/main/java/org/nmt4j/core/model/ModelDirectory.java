package org.nmt4j.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The layout of a model directory, which can be moved to another machine as a whole:
 * <pre>
 *   config.yaml          the resolved training configuration
 *   source.spm.model     SentencePiece model of the source language
 *   target.spm.model     SentencePiece model of the target language
 *   last.zip, best.zip   latest and best checkpoints ({@link Checkpoint})
 *   step-NNNNNNN.zip     recent checkpoints, for averaging
 *   averaged.zip         average of the last N step checkpoints (optional)
 *   train.log, metrics.csv, curves.png
 * </pre>
 */
public record ModelDirectory(Path root) {

    private static final String STEP_PREFIX = "step-";

    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path sourceSpm() {
        return root.resolve("source.spm.model");
    }

    public Path targetSpm() {
        return root.resolve("target.spm.model");
    }

    public Path last() {
        return root.resolve("last.zip");
    }

    public Path best() {
        return root.resolve("best.zip");
    }

    public Path averaged() {
        return root.resolve("averaged.zip");
    }

    public Path log() {
        return root.resolve("train.log");
    }

    public Path metrics() {
        return root.resolve("metrics.csv");
    }

    public Path curves() {
        return root.resolve("curves.png");
    }

    /** The checkpoint written at update {@code step}. */
    public Path step(int step) {
        return root.resolve(String.format("%s%07d.zip", STEP_PREFIX, step));
    }

    /** The step checkpoints present, oldest first. */
    public List<Path> stepCheckpoints() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(root)) {
            List<Path> steps = new ArrayList<>(files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(STEP_PREFIX) && name.endsWith(".zip");
            }).sorted().toList());
            return steps;
        }
    }
}

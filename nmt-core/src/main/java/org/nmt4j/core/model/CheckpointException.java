package org.nmt4j.core.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be used: missing, truncated, corrupted, of another format version, not a checkpoint
 * at all, or (when averaging) not matching the other checkpoints. Checked, an {@link IOException}; the message names
 * the file and the problem.
 */
public final class CheckpointException extends IOException {

    private final Path file;

    /**
     * @param file the offending checkpoint
     * @param problem what is wrong, starting with a verb ("is truncated ..."); the file is put in front
     */
    public CheckpointException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file the offending checkpoint
     * @param problem what is wrong, starting with a verb ("is truncated ..."); the file is put in front
     * @param cause the underlying error, or null
     */
    public CheckpointException(Path file, String problem, Throwable cause) {
        super("checkpoint " + file + " " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}

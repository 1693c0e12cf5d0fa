package org.nmt4j.core.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a {@link BatchIterator} stands, saved with a checkpoint so that a resumed run sees exactly the batches an
 * uninterrupted run would. {@code corpusSize} and {@code maxTokens} guard against resuming on other data.
 *
 * @param epoch current epoch (0-based)
 * @param position batches of this epoch already handed out
 * @param seed the iterator's seed
 * @param corpusSize pairs in the corpus the state belongs to
 * @param maxTokens the batch size in tokens the state belongs to
 */
public record BatchIteratorState(int epoch, int position, long seed, int corpusSize, int maxTokens) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public BatchIteratorState {
        if (epoch < 0 || position < 0) {
            throw new IllegalArgumentException("epoch and position must be >= 0: " + epoch + ", " + position);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + this, e);
        }
    }

    public static BatchIteratorState fromJson(String json) throws IOException {
        return JSON.readValue(json, BatchIteratorState.class);
    }

    /** Writes the state as JSON through a temporary file, so that a crash never leaves half a file. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, toJson());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static BatchIteratorState read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }
}

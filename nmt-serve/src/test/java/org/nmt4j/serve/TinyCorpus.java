package org.nmt4j.serve;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nmt4j.core.text.SpmFixtures;

/**
 * Test helper: a corpus directory laid out as {@code corpora-scripts/prepare-bible-es-en.sh} and
 * {@code train-spm.sh} leave it ({train,dev,test}.{es,en,ids}, spm/spm.model), made from a small random corpus, and
 * a tiny model configuration, so that the end-to-end commands run in seconds.
 */
public final class TinyCorpus {

    /** {@code --set} values of a model small enough to train in seconds. */
    public static final List<String> TINY_MODEL = List.of("model.embedding=8", "model.hidden=12",
            "model.dropout=0.0", "model.tie_target_embeddings=false", "train.batch_tokens=300", "train.warmup_steps=2", "train.validate_every=2",
            "train.dev_sentences=8");

    private TinyCorpus() {
    }

    /** Writes the corpus directory {@code dir}: 400 training pairs, 20 dev and 12 test pairs. */
    public static Path create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path spm = SpmFixtures.trainModel(dir, 60);
        Files.createDirectories(dir.resolve("spm"));
        if (!spm.equals(dir.resolve("spm/spm.model"))) {
            Files.copy(spm, dir.resolve("spm/spm.model"));
        }
        for (String language : List.of("es", "en")) {
            List<String> lines = Files.readAllLines(dir.resolve("corpus." + language), UTF_8);
            Files.write(dir.resolve("train." + language), lines, UTF_8);
            Files.write(dir.resolve("dev." + language), lines.subList(0, 20), UTF_8);
            Files.write(dir.resolve("test." + language), lines.subList(20, 32), UTF_8);
        }
        for (String split : List.of("train", "dev", "test")) {
            Files.writeString(dir.resolve(split + ".ids"), "ids\n", UTF_8);
        }
        return dir;
    }
}

package org.nmt4j.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading configurations: defaults, files, overrides, and the errors users see. */
class TrainConfigTest {

    @Test
    void fileValuesAndOverridesReplaceTheDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "model:\n  attention: struct-l2\ntrain:\n  max_steps: 7\n");
        TrainConfig config = TrainConfig.load(file, List.of("train.learning_rate=0.01", "model.hidden=128", "model.embedding=128"));
        assertEquals("struct-l2", config.model().attention());
        assertEquals(7, config.train().maxSteps());
        assertEquals(0.01, config.train().learningRate());
        assertEquals(128, config.model().hidden());
        assertEquals(1, config.model().encoderLayers(), "default kept");
        assertEquals("data/bible/train.es", config.data().trainSource());
    }

    @Test
    void theResolvedYamlReadsBackEqual(@TempDir Path dir) throws Exception {
        TrainConfig config = TrainConfig.load(null, List.of("model.attention=sparsemax"));
        Path saved = dir.resolve("config.yaml");
        Files.writeString(saved, config.toYaml());
        assertEquals(config, TrainConfig.resume(saved, List.of()));
        assertEquals(99, TrainConfig.resume(saved, List.of("train.max_steps=99")).train().maxSteps());
    }

    @Test
    void unknownKeysAreNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "train:\n  learnin_rate: 0.1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load(file, List.of()));
        assertTrue(e.getMessage().contains("train.learnin_rate") && e.getMessage().contains("learning_rate"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.load(null, List.of("modle.hidden=3")));
        assertTrue(e.getMessage().contains("modle"), e.getMessage());
    }

    @Test
    void impossibleValuesAreNamed() {
        for (String[] c : new String[][] {{"model.hidden=7", "model.hidden must be even"},
            {"model.attention=maxsoft", "model.attention must be one of"},
            {"train.label_smoothing=1.5", "train.label_smoothing"},
            {"train.batch_tokens=0", "train.batch_tokens must be positive"},
            {"train.decay=cosine", "train.decay must be one of"},
            {"model.dropout=abc", "invalid config"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainConfig.load(null, List.of(c[0])));
            assertTrue(e.getMessage().contains(c[1]), c[0] + " gave: " + e.getMessage());
        }
    }

    @Test
    void aModelSavedBeforeAKeyExistedResumesWithItsDefault(@TempDir Path dir) throws Exception {
        TrainConfig config = TrainConfig.load(null, List.of("train.max_steps=9"));
        Path saved = dir.resolve("config.yaml");
        Files.writeString(saved, config.toYaml().replaceAll("(?m)^  average_last: .*\n", ""));
        assertTrue(!Files.readString(saved).contains("average_last"), "the test removed the key");
        assertEquals(config, TrainConfig.resume(saved, List.of()));
    }

    @Test
    void resumingCannotChangeTheModel(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("config.yaml");
        Files.writeString(saved, TrainConfig.load(null, List.of()).toYaml());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.resume(saved, List.of("model.hidden=64")));
        assertTrue(e.getMessage().contains("only train.*"), e.getMessage());
    }

    @Test
    void brokenYamlAndMissingFilesAreClear(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "model: [unclosed\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.load(file, List.of()))
                .getMessage().contains("not valid YAML"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load(dir.resolve("none.yaml"), List.of())).getMessage().contains("does not exist"));
    }
}

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
            {"train.plateau_factor=1", "train.plateau_factor must be in (0, 1), got 1.0"},
            {"train.plateau_factor=0", "train.plateau_factor must be in (0, 1)"},
            {"train.plateau_patience=0", "train.plateau_patience must be positive, got 0"},
            {"train.min_learning_rate=-0.1", "train.min_learning_rate must not be negative"},
            {"model.dropout=abc", "invalid config"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainConfig.load(null, List.of(c[0])));
            assertTrue(e.getMessage().contains(c[1]), c[0] + " gave: " + e.getMessage());
        }
    }

    @Test
    void thePlateauDecayIsReadAndItsFloorMustBeBelowThePeak() throws Exception {
        TrainingOptions defaults = TrainConfig.load(null, List.of()).train();
        assertEquals(0.5, defaults.plateauFactor());
        assertEquals(2, defaults.plateauPatience());
        assertEquals(1e-5, defaults.minLearningRate());
        TrainingOptions plateau = TrainConfig.load(null, List.of("train.decay=plateau", "train.plateau_factor=0.7",
                "train.plateau_patience=3", "train.min_learning_rate=0.0001")).train();
        assertEquals("plateau", plateau.decay());
        assertEquals(0.7, plateau.plateauFactor());
        assertEquals(3, plateau.plateauPatience());
        assertEquals(1e-4, plateau.minLearningRate());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.load(null,
                List.of("train.decay=plateau", "train.learning_rate=0.001", "train.min_learning_rate=0.01")));
        assertTrue(e.getMessage().contains("train.min_learning_rate (0.01) cannot exceed train.learning_rate (0.001)"),
                e.getMessage());
        // The floor only matters to the plateau decay.
        assertEquals(0.01, TrainConfig.load(null, List.of("train.decay=none", "train.learning_rate=0.001",
                "train.min_learning_rate=0.01")).train().minLearningRate());
    }

    @Test
    void aModelSavedBeforeAKeyExistedResumesWithItsDefault(@TempDir Path dir) throws Exception {
        TrainConfig config = TrainConfig.load(null, List.of("train.max_steps=9"));
        Path saved = dir.resolve("config.yaml");
        Files.writeString(saved, config.toYaml().replaceAll("(?m)^  (plateau_\\w+|min_learning_rate): .*\n", ""));
        assertTrue(!Files.readString(saved).contains("plateau"), "the test removed the keys");
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

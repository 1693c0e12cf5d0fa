package org.nmt4j.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nmt4j.core.data.BatchPlanner;
import org.nmt4j.core.data.LengthLimits;
import org.nmt4j.core.data.ParallelTextReader;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.CheckpointException;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.core.text.SpmFixtures;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.report.MetricsCsv;

/** The training loop end to end on a tiny corpus: outputs, exact resumption, refusals. */
class TrainerTest {

    @TempDir
    static Path data;

    static Path spm;

    @BeforeAll
    static void corpus() throws Exception {
        spm = SpmFixtures.trainModel(data, 60);
    }

    static TrainConfig config(int maxSteps, String... more) throws IOException {
        List<String> overrides = new ArrayList<>(List.of(
                "data.train_source=" + data.resolve("corpus.es"), "data.train_target=" + data.resolve("corpus.en"),
                "data.dev_source=" + data.resolve("corpus.es"), "data.dev_target=" + data.resolve("corpus.en"),
                "data.source_spm=" + spm, "data.target_spm=" + spm,
                "model.embedding=16", "model.hidden=16", "model.dropout=0.1", "model.tie_target_embeddings=true",
                "train.batch_tokens=300", "train.warmup_steps=2", "train.validate_every=3", "train.dev_sentences=12",
                "train.max_minutes=0", "train.keep_checkpoints=2", "train.max_steps=" + maxSteps));
        overrides.addAll(List.of(more));
        return TrainConfig.load(null, overrides);
    }

    static Trainer.Summary train(TrainConfig config, Path dir, boolean resume) throws IOException {
        return new Trainer(config, new ModelDirectory(dir), new PrintStream(new ByteArrayOutputStream())).run(resume);
    }

    @Test
    void writesAMovableModelDirectory(@TempDir Path dir) throws Exception {
        Trainer.Summary summary = train(config(6, "train.average_last=2"), dir, false);
        assertEquals(6, summary.steps());
        assertTrue(summary.stopReason().contains("max_steps"), summary.stopReason());
        ModelDirectory model = new ModelDirectory(dir);
        for (Path file : List.of(model.config(), model.sourceSpm(), model.targetSpm(), model.last(), model.best(),
                model.averaged(), model.log(), model.metrics(), model.curves())) {
            assertTrue(Files.size(file) > 0, file + " missing or empty");
        }
        assertEquals(List.of(model.step(3), model.step(6)), model.stepCheckpoints());
        List<MetricsCsv.Row> rows = MetricsCsv.read(model.metrics());
        assertEquals(2, rows.stream().filter(r -> !Double.isNaN(r.devBleu())).count(), "one row per validation");
        assertTrue(Files.readString(model.log()).contains("validation at update 6"));
        // Tied embeddings stay tied through Adam updates.
        Map<String, INDArray> p = Checkpoint.read(model.last()).parameters();
        assertTrue(p.get("target_embedding_W").transpose().equalsWithEps(p.get("output_W"), 1e-6));
    }

    static int savedStep(Path dir) throws IOException {
        return TrainerState.fromJson(Checkpoint.read(new ModelDirectory(dir).last()).trainerStateJson()).step();
    }

    @Test
    void aBudgetedRunTrainsThenReusesThenContinuesToALargerBudget(@TempDir Path dir) throws Exception {
        ModelDirectory model = new ModelDirectory(dir);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        TrainingBudget four = new TrainingBudget(0, 4);
        assertEquals(BudgetedTraining.Outcome.TRAINED, BudgetedTraining.run(config(0), model, four, quiet));
        assertEquals(4, savedStep(dir));
        assertTrue(Files.exists(dir.resolve(BudgetedTraining.DONE_FILE)));
        FileTime trained = Files.getLastModifiedTime(model.last());

        assertEquals(BudgetedTraining.Outcome.REUSED, BudgetedTraining.run(config(0), model, four, quiet));
        assertEquals(trained, Files.getLastModifiedTime(model.last()), "a finished model is not touched");

        assertEquals(BudgetedTraining.Outcome.RESUMED,
                BudgetedTraining.run(config(0), model, new TrainingBudget(0, 6), quiet));
        assertEquals(6, savedStep(dir));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                BudgetedTraining.run(config(0, "model.dropout=0.3"), model, new TrainingBudget(0, 8), quiet));
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
    }

    @Test
    void aBudgetedRunContinuesAnInterruptedModel(@TempDir Path dir) throws Exception {
        train(config(3), dir, false); // as if stopped by Ctrl-C: last.zip but no done marker
        assertEquals(BudgetedTraining.Outcome.RESUMED, BudgetedTraining.run(config(0), new ModelDirectory(dir),
                new TrainingBudget(0, 5), new PrintStream(new ByteArrayOutputStream())));
        assertEquals(5, savedStep(dir));
    }

    @Test
    void resumingGivesTheSameParametersAsTrainingStraight(@TempDir Path straight, @TempDir Path split)
            throws Exception {
        train(config(6), straight, false);
        train(config(3), split, false);
        Trainer.Summary resumed = train(config(6), split, true);
        assertEquals(6, resumed.steps());
        Map<String, INDArray> a = Checkpoint.read(new ModelDirectory(straight).last()).parameters();
        Map<String, INDArray> b = Checkpoint.read(new ModelDirectory(split).last()).parameters();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).dup().data().asFloat(), b.get(name).dup().data().asFloat(), 1e-6f, name);
        }
        assertEquals(MetricsCsv.read(new ModelDirectory(straight).metrics()).size(),
                MetricsCsv.read(new ModelDirectory(split).metrics()).size());
    }

    static TrainerState savedState(Path dir) throws IOException {
        return TrainerState.fromJson(Checkpoint.read(new ModelDirectory(dir).last()).trainerStateJson());
    }

    @Test
    void resumingWithThePlateauDecayGivesTheSameParametersAsTrainingStraight(@TempDir Path straight,
            @TempDir Path split, @TempDir Path dev) throws Exception {
        // Dev references in a script the model never writes keep dev BLEU at 0: only the first validation (update
        // 3) improves, so with a patience of 2 the rate is halved at update 9. The split run stops at 6 (one
        // validation counted, factor 1) and at 9 (factor 0.5): both must come back from the checkpoint.
        Path unreachable = dev.resolve("dev.en");
        Files.write(unreachable, java.util.Collections.nCopies(
                Files.readAllLines(data.resolve("corpus.es")).size(), "жжжж жжж"));
        String[] plateau = {"train.decay=plateau", "train.plateau_patience=2", "train.best_metric=bleu",
            "data.dev_target=" + unreachable};
        train(config(12, plateau), straight, false);
        train(config(6, plateau), split, false);
        assertEquals(new PlateauDecay.State(1, 1), savedState(split).plateau());
        train(config(9, plateau), split, true);
        assertEquals(new PlateauDecay.State(0.5, 0), savedState(split).plateau());
        train(config(12, plateau), split, true);
        assertEquals(savedState(straight).plateau(), savedState(split).plateau());
        assertEquals(new PlateauDecay.State(0.5, 1), savedState(split).plateau());
        Map<String, INDArray> a = Checkpoint.read(new ModelDirectory(straight).last()).parameters();
        Map<String, INDArray> b = Checkpoint.read(new ModelDirectory(split).last()).parameters();
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).dup().data().asFloat(), b.get(name).dup().data().asFloat(), 1e-6f, name);
        }
        for (MetricsCsv.Row row : MetricsCsv.read(new ModelDirectory(straight).metrics())) {
            assertEquals(row.step() <= 9 ? 0.002 : 0.001, row.learningRate(), 1e-9, "learning rate at " + row.step());
        }
        assertTrue(Files.readString(new ModelDirectory(straight).log()).contains("learning rate reduced to 1.00e-03"
                + " (0.500 x train.learning_rate): no improvement of dev bleu in 2 validations"));
    }

    @Test
    void aStopRequestEndsAfterTheCurrentUpdateWithAValidCheckpoint(@TempDir Path dir) throws Exception {
        Trainer trainer = new Trainer(config(0), new ModelDirectory(dir), new PrintStream(new ByteArrayOutputStream()));
        trainer.requestStop();
        Trainer.Summary summary = trainer.run(false);
        assertEquals(1, summary.steps());
        assertEquals("interrupted", summary.stopReason());
        assertTrue(Checkpoint.read(new ModelDirectory(dir).last()).parameters().size() > 0);
        assertEquals(5, train(config(5), dir, true).steps(), "the interrupted run resumes");
    }

    @Test
    void anEpochLimitStopsAtTheEndOfTheEpochAndAReachedLimitTrainsNoMore(@TempDir Path dir) throws Exception {
        TrainConfig oneEpoch = config(0, "train.max_epochs=1", "train.validate_every=1000");
        Trainer.Summary summary = train(oneEpoch, dir, false);
        assertEquals(1, summary.epochs());
        int batches;
        try (ParallelTextReader reader = ParallelTextReader.open(data.resolve("corpus.es"),
                data.resolve("corpus.en"), LengthLimits.NONE);
             SubwordTokenizer tokenizer = SubwordTokenizer.load(spm)) {
            TokenizedCorpus corpus = TokenizedCorpus.tokenize(reader, tokenizer, tokenizer, 120, 120);
            batches = new BatchPlanner(corpus, 300).plan(1, 0).size();
        }
        assertEquals(batches, summary.steps(), "one update per batch of the first epoch");
        assertEquals(batches, train(oneEpoch, dir, true).steps(), "resuming a finished run trains no more");
    }

    @Test
    void refusesToOverwriteOrToResumeFromABrokenCheckpoint(@TempDir Path dir) throws Exception {
        train(config(3), dir, false);
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> train(config(3), dir, false));
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());

        Path last = new ModelDirectory(dir).last();
        byte[] bytes = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException broken = assertThrows(CheckpointException.class, () -> train(config(6), dir, true));
        assertTrue(broken.getMessage().contains(last.toString()), broken.getMessage());
    }

    @Test
    void aVocabularyMismatchIsRefusedOnResume(@TempDir Path dir, @TempDir Path other) throws Exception {
        train(config(3), dir, false);
        Files.copy(SpmFixtures.trainModel(other, 40), new ModelDirectory(dir).targetSpm(),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train(config(6), dir, true));
        assertTrue(e.getMessage().contains("vocabulary or configuration mismatch"), e.getMessage());
    }
}

package org.nmt4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.GreedySearch;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.core.model.Seq2SeqModel;
import org.nmt4j.core.text.SpmFixtures;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.loop.DataParallelOptions;
import org.nmt4j.train.loop.DataParallelTraining;
import org.nmt4j.train.loop.Trainer;
import org.nmt4j.train.report.MetricsCsv;

/** nmt train --spark-master local[2] end to end on a tiny corpus. */
class SparkTrainingTest {

    @TempDir
    static Path data;

    static Path spm;

    @BeforeAll
    static void corpus() throws Exception {
        spm = SpmFixtures.trainModel(data, 60);
    }

    static TrainConfig config(String... more) throws Exception {
        List<String> overrides = new java.util.ArrayList<>(List.of(
                "data.train_source=" + data.resolve("corpus.es"), "data.train_target=" + data.resolve("corpus.en"),
                "data.dev_source=" + data.resolve("corpus.es"), "data.dev_target=" + data.resolve("corpus.en"),
                "data.source_spm=" + spm, "data.target_spm=" + spm,
                "model.embedding=16", "model.hidden=16", "model.dropout=0.1", "model.tie_target_embeddings=true",
                "model.attention=struct-l2", "train.learning_rate=0.01", "train.batch_tokens=300",
                "train.warmup_steps=2", "train.validate_every=3", "train.dev_sentences=12", "train.max_minutes=0",
                "train.keep_checkpoints=2", "train.max_steps=6"));
        overrides.addAll(List.of(more));
        return TrainConfig.load(null, overrides);
    }

    @Test
    void trainsOnLocalSparkAndWritesATranslatableModelDirectory(@TempDir Path dir) throws Exception {
        DataParallelTraining training = DataParallelTraining.find();
        assertInstanceOf(SparkTraining.class, training, "registered with ServiceLoader");
        TrainConfig config = config();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        long start = System.nanoTime();
        Trainer.Summary summary = training.run(config, new ModelDirectory(dir), false,
                new DataParallelOptions("local[2]", 2, 1, 0), new PrintStream(console, true, StandardCharsets.UTF_8));
        System.out.printf("local[2] training: %d updates in %.1f s (%.1f s in the loop), %.0f target tok/s%n",
                summary.steps(), (System.nanoTime() - start) / 1e9, summary.trainingSeconds(),
                summary.targetTokensPerSecond());
        System.out.print(console.toString(StandardCharsets.UTF_8));

        assertEquals(6, summary.steps());
        assertTrue(summary.stopReason().contains("max_steps"), summary.stopReason());
        ModelDirectory model = new ModelDirectory(dir);
        for (Path file : List.of(model.config(), model.sourceSpm(), model.targetSpm(), model.last(), model.best(),
                model.log(), model.metrics(), model.curves())) {
            assertTrue(Files.size(file) > 0, file + " missing or empty");
        }
        assertEquals(List.of(model.step(3), model.step(6)), model.stepCheckpoints());
        assertTrue(Files.readString(model.log()).contains("validation at update 6"));

        List<MetricsCsv.Row> rows = MetricsCsv.read(model.metrics());
        List<MetricsCsv.Row> train = rows.stream().filter(r -> !Double.isNaN(r.trainLoss())).toList();
        List<MetricsCsv.Row> dev = rows.stream().filter(r -> !Double.isNaN(r.devLoss())).toList();
        assertEquals(List.of(3L, 6L), train.stream().map(MetricsCsv.Row::step).toList());
        assertEquals(List.of(3L, 6L), dev.stream().map(MetricsCsv.Row::step).toList());
        assertTrue(train.get(1).trainLoss() < train.get(0).trainLoss(), "training loss decreases: " + train);
        assertTrue(dev.get(1).devLoss() < dev.get(0).devLoss(), "dev loss improves: " + dev);

        // The checkpoint loads into the inference model and translates; tied embeddings stayed tied on the
        // workers; the attention vertex's own parameters were trained too.
        Checkpoint checkpoint = Checkpoint.read(model.best());
        Map<String, INDArray> p = checkpoint.parameters();
        assertTrue(p.get("target_embedding_W").transpose().equalsWithEps(p.get("output_W"), 1e-6));
        assertTrue(p.keySet().stream().anyMatch(k -> k.startsWith("attention")), p.keySet().toString());
        Seq2SeqModel inference = new Seq2SeqModel(config.model(), p);
        try (SubwordTokenizer tokenizer = SubwordTokenizer.load(model.sourceSpm())) {
            int[] source = tokenizer.encode("el perro come.");
            int[] withEos = java.util.Arrays.copyOf(source, source.length + 1);
            withEos[source.length] = tokenizer.eosId();
            int[][] out = new GreedySearch(inference, tokenizer.specialIds(), 2.0, 10.0)
                    .translate(new int[][] {withEos});
            assertEquals(1, out.length);
        }
    }

    @Test
    void refusesResumeAndATrainedDirectoryBeforeStartingSpark(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkTraining().run(
                config(), new ModelDirectory(dir), true, new DataParallelOptions("local[1]", 1, 1, 0),
                new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        Files.writeString(dir.resolve("last.zip"), "x");
        e = assertThrows(IllegalArgumentException.class, () -> new SparkTraining().run(config(),
                new ModelDirectory(dir), false, new DataParallelOptions("local[1]", 1, 1, 0),
                new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("already holds"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("config.yaml")));
    }

    @Test
    void refusesThePlateauDecayBeforeStartingSpark(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkTraining().run(
                config("train.decay=plateau"), new ModelDirectory(dir.resolve("model")), false,
                new DataParallelOptions("local[1]", 1, 1, 0), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("train.decay=plateau is not supported"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("model")));
    }
}

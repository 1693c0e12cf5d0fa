package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmt4j.cli.Main;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.TinyCorpus;

/** {@code nmt compare} end to end on a tiny corpus: train, translate, report, reuse, compare existing models. */
class CompareCommandTest {

    @TempDir
    static Path dir;
    static Path data;
    static Path config;

    @BeforeAll
    static void corpus() throws Exception {
        data = TinyCorpus.create(dir.resolve("data"));
        List<String> yaml = new ArrayList<>(List.of("data:",
                "  train_source: " + data.resolve("train.es"), "  train_target: " + data.resolve("train.en"),
                "  dev_source: " + data.resolve("dev.es"), "  dev_target: " + data.resolve("dev.en"),
                "  source_spm: " + data.resolve("spm/spm.model"), "  target_spm: " + data.resolve("spm/spm.model")));
        config = dir.resolve("tiny.yaml");
        Files.write(config, yaml, UTF_8);
    }

    /** Exit code and stdout of one {@code nmt compare}. */
    record Run(int exitCode, String output) {
    }

    static Run compare(String... options) {
        List<String> args = new ArrayList<>(List.of("compare", "--test-src", data.resolve("test.es").toString(),
                "--test-ref", data.resolve("test.en").toString(), "--beam", "2"));
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, UTF_8));
        int exit;
        try {
            exit = new Main(List.of(new CompareCommand()), false).run(args.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        return new Run(exit, out.toString(UTF_8));
    }

    static List<String> trainingOptions(Path report) {
        List<String> options = new ArrayList<>(List.of("-c", config.toString(), "-o", report.toString(),
                "--attention", "softmax,struct-l2", "--steps", "4", "--budget-minutes", "0"));
        for (String set : TinyCorpus.TINY_MODEL) {
            options.addAll(List.of("--set", set));
        }
        return options;
    }

    @Test
    void trainsEachVariantWritesTheReportAndReusesFinishedModels() throws Exception {
        Path report = dir.resolve("report");
        Run first = compare(trainingOptions(report).toArray(String[]::new));
        assertEquals(0, first.exitCode(), first.output());
        for (String file : List.of("report.md", "report.html", "results.json", "dev-bleu.png", "configs/softmax.yaml",
                "configs/struct-l2.yaml", "outputs/softmax.txt", "outputs/struct-l2.txt")) {
            assertTrue(Files.size(report.resolve(file)) > 0, file);
        }
        assertEquals(12, Files.readAllLines(report.resolve("outputs/struct-l2.txt"), UTF_8).size());
        try (var heatmaps = Files.list(report.resolve("heatmaps"))) {
            assertEquals(4, heatmaps.count(), "two default lines × two models");
        }
        JsonNode results = new ObjectMapper().readTree(report.resolve("results.json").toFile());
        assertEquals(2, results.get("models").size());
        JsonNode l2 = results.get("models").get(1);
        assertEquals("struct-l2", l2.get("attention").asText());
        assertEquals(4, l2.get("updates").asInt());
        assertTrue(l2.get("BLEU").has("p_value"), "p-value against the first model");
        assertTrue(l2.get("parameters").asLong() > 0);
        assertTrue(l2.get("decode_sentences_per_s").asDouble() > 0);
        String markdown = Files.readString(report.resolve("report.md"));
        assertTrue(markdown.contains("| softmax | softmax | 1 |"), markdown);
        assertTrue(markdown.contains("BLEU `nrefs:1|bs:1000|seed:12345|case:mixed"), markdown);
        assertTrue(Files.readString(report.resolve("report.html")).contains("<table>"));

        ModelDirectory softmax = new ModelDirectory(report.resolve("models/softmax"));
        FileTime trained = Files.getLastModifiedTime(softmax.last());
        Run again = compare(trainingOptions(report).toArray(String[]::new));
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("already trained"), again.output());
        assertEquals(trained, Files.getLastModifiedTime(softmax.last()), "a finished model is reused, not retrained");

        Path existing = dir.resolve("existing");
        Run models = compare("--models", report.resolve("models/struct-l2") + "," + softmax.root(), "-o",
                existing.toString(), "--heatmap-lines", "3");
        assertEquals(0, models.exitCode(), models.output());
        JsonNode reused = new ObjectMapper().readTree(existing.resolve("results.json").toFile());
        assertEquals("struct-l2", reused.get("models").get(0).get("name").asText(), "the order of --models");
        assertEquals(Files.readAllLines(report.resolve("outputs/softmax.txt")),
                Files.readAllLines(existing.resolve("outputs/softmax.txt")), "the same model translates the same");
        assertTrue(Files.exists(existing.resolve("heatmaps/line3-softmax.png")));
    }

    @Test
    void refusesBadArguments() {
        assertEquals(Main.USAGE, compare("--attention", "softmax,bogus", "-o", dir.resolve("bad").toString())
                .exitCode());
        assertEquals(Main.USAGE, compare("--models", "a,b", "--steps", "3").exitCode());
        assertEquals(Main.USAGE, compare("--models", "a", "--heatmap-lines", "99").exitCode());
        assertEquals(Main.FAILURE, compare("--models", dir.resolve("missing").toString(), "-o",
                dir.resolve("bad").toString()).exitCode(), "not a model directory");
    }
}

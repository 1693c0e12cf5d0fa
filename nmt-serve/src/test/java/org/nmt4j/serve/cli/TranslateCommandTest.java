package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nmt4j.cli.Main;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.GreedySearch;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.core.text.SpmFixtures;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.serve.TinyModels;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.search.BeamSearch;
import org.nmt4j.serve.search.LengthPenalty;
import org.nmt4j.serve.translate.Translation;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.serve.translate.Translator;
import org.nmt4j.train.config.TrainConfig;

/** {@code nmt translate} on a random model with a real SentencePiece model. */
class TranslateCommandTest {

    static final int MAX_SOURCE_SUBWORDS = 40;
    static final String[] WORDS = {"el", "la", "casa", "perro", "gato", "grande", "pequeño", "corre", "come", "niño",
        "agua", "canción", "tierra", "cielo"};

    @TempDir
    static Path dir;
    static ModelDirectory model;

    /** A model directory: config, one joint SentencePiece model on both sides, and a random best.zip. */
    @BeforeAll
    static void modelDirectory() throws Exception {
        Path spm = SpmFixtures.trainModel(Files.createDirectories(dir.resolve("spm")), 60);
        model = new ModelDirectory(Files.createDirectories(dir.resolve("model")));
        Files.copy(spm, model.sourceSpm());
        Files.copy(spm, model.targetSpm());
        var c = TinyModels.CONFIG;
        TrainConfig config = TrainConfig.load(null, List.of("model.embedding=" + c.embedding(),
                "model.hidden=" + c.hidden(), "model.dropout=0.0", "model.tie_target_embeddings=false",
                "data.max_source_subwords=" + MAX_SOURCE_SUBWORDS));
        Files.writeString(model.config(), config.toYaml(), UTF_8);
        int vocab;
        try (SubwordTokenizer tokenizer = SubwordTokenizer.load(spm)) {
            vocab = tokenizer.vocabSize();
        }
        new Checkpoint(new LinkedHashMap<>(TinyModels.parameters(vocab, 21, 0)), null, "{}", Map.of())
                .write(model.best());
    }

    /** Output, stderr and exit code of one {@code nmt translate} run. */
    record Run(int exitCode, List<String> output, String stderr) {
    }

    static Run translate(Path input, String... options) throws IOException {
        return translate(model.root(), input, options);
    }

    static Run translate(Path modelDirectory, Path input, String... options) throws IOException {
        Path output = dir.resolve("output.txt");
        Files.deleteIfExists(output);
        List<String> args = new ArrayList<>(List.of("translate", "-m", modelDirectory.toString(), "-i",
                input.toString(), "-o", output.toString()));
        args.addAll(List.of(options));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(stderr, true, UTF_8));
        int exitCode;
        try {
            exitCode = new Main(List.of(new TranslateCommand()), false).run(args.toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
        List<String> lines = Files.exists(output) ? Files.readAllLines(output, UTF_8) : List.of();
        return new Run(exitCode, lines, stderr.toString(UTF_8));
    }

    /**
     * Enough lines for several chunks at batch size 2, with empty and blank lines and one line of 10,000
     * characters: one output line per input line, each what the line gets when translated alone.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void keepsOrderAndOneLinePerInputLine(int beam) throws IOException {
        List<String> lines = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 2 * TranslateCommand.CHUNK_BATCHES * 2 + 7; i++) {
            StringBuilder sentence = new StringBuilder(WORDS[random.nextInt(WORDS.length)]);
            for (int w = random.nextInt(8); w > 0; w--) {
                sentence.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            lines.add(sentence.append('.').toString());
        }
        lines.set(0, "");
        lines.set(10, "   ");
        lines.set(40, "");
        String longLine = "el perro come la canción grande. ".repeat(400).substring(0, 10_000);
        lines.set(20, longLine);
        Path input = Files.write(dir.resolve("input.txt"), lines, UTF_8);

        Run run = translate(input, "--beam", Integer.toString(beam), "--batch-size", "2");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(lines.size(), run.output().size());
        assertEquals("", run.output().get(0));
        assertEquals("", run.output().get(10));
        assertEquals("", run.output().get(40));
        assertTrue(run.output().stream().distinct().count() > lines.size() / 2, "outputs should differ by line");
        assertTrue(run.stderr().contains("warning: line 21: "), run.stderr());
        assertTrue(run.stderr().contains("translating the first " + MAX_SOURCE_SUBWORDS), run.stderr());
        assertTrue(run.stderr().contains("translated " + lines.size() + " sentences"), run.stderr());

        try (TranslationModel loaded = TranslationModel.load(model, "best")) {
            GreedySearch greedy = new GreedySearch(loaded.model(), TinyModels.IDS, 2, 10);
            BeamSearch search = new BeamSearch(loaded.model(), TinyModels.IDS, new BeamOptions(beam,
                    new LengthPenalty(LengthPenalty.Kind.GNMT, 0.6), 2, 10, 0, false));
            Translator alone = beam == 1 ? Translator.greedy(loaded, greedy, 1, w -> { })
                    : Translator.beam(loaded, search, 1, w -> { });
            for (int i = 0; i < lines.size(); i++) {
                String expected = alone.translate(List.of(lines.get(i)), i + 1).get(0).get(0).text();
                assertEquals(expected, run.output().get(i), "line " + (i + 1));
            }
            int[] source = Arrays.copyOf(loaded.source().encode(longLine), MAX_SOURCE_SUBWORDS + 1);
            source[MAX_SOURCE_SUBWORDS] = TinyModels.IDS.eos();
            int[] ids = beam == 1 ? greedy.translate(new int[][] {source})[0]
                    : search.search(new int[][] {source}).get(0).get(0).ids();
            assertEquals(loaded.target().decode(ids), run.output().get(20),
                    "the long line is translated from its first subwords");
        }
    }

    @Test
    void nBestListsPrintIndexTranslationAndScore() throws IOException {
        List<String> lines = List.of("el perro come.", "", "la casa grande y el gato pequeño.");
        Path input = Files.write(dir.resolve("nbest.txt"), lines, UTF_8);
        Run run = translate(input, "--beam", "4", "--n-best", "3");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(3 + 1 + 3, run.output().size(), String.join("\n", run.output()));
        assertEquals("1 |||  ||| 0.0000", run.output().get(3));
        try (TranslationModel loaded = TranslationModel.load(model, "best")) {
            BeamOptions options = new BeamOptions(4, new LengthPenalty(LengthPenalty.Kind.GNMT, 0.6), 2, 10, 0,
                    false);
            List<List<Translation>> expected = Translator.beam(loaded, new BeamSearch(loaded.model(),
                    TinyModels.IDS, options), 32, w -> { }).translate(lines, 1);
            int row = 0;
            for (int i = 0; i < lines.size(); i++) {
                for (Translation t : expected.get(i).subList(0, Math.min(3, expected.get(i).size()))) {
                    assertEquals(String.format(Locale.ROOT, "%d ||| %s ||| %.4f", i, t.text(), t.score()),
                            run.output().get(row++));
                }
            }
        }
    }

    @Test
    void aMissingModelDirectoryIsAnErrorNamingIt() throws IOException {
        Path input = Files.write(dir.resolve("one.txt"), List.of("el perro."), UTF_8);
        Path missing = dir.resolve("no-such-model");
        Run run = translate(missing, input);
        assertEquals(Main.FAILURE, run.exitCode());
        assertTrue(run.stderr().contains("model directory " + missing + " does not exist"), run.stderr());
    }

    @Test
    void invalidUtf8IsAnErrorNamingTheLine() throws IOException {
        Path input = dir.resolve("latin1.txt");
        Files.write(input, new byte[] {'e', 'l', '\n', 'n', 'i', (byte) 0xF1, 'o', '\n'});
        Run run = translate(input);
        assertEquals(Main.FAILURE, run.exitCode());
        assertTrue(run.stderr().contains(input + " line 2: invalid UTF-8"), run.stderr());
    }
}

package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nmt4j.cli.Main;
import org.nmt4j.core.model.GreedySearch;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.TinyModels;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.search.BeamSearch;
import org.nmt4j.serve.search.LengthPenalty;
import org.nmt4j.serve.translate.Alignment;
import org.nmt4j.serve.translate.Translation;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.serve.translate.Translator;

/** {@code nmt translate} on a random model with a real SentencePiece model. */
class TranslateCommandTest {

    static final int MAX_SOURCE_SUBWORDS = 40;
    static final String[] WORDS = {"el", "la", "casa", "perro", "gato", "grande", "pequeño", "corre", "come", "niño",
        "agua", "canción", "tierra", "cielo"};

    @TempDir
    static Path dir;
    static ModelDirectory model;

    @BeforeAll
    static void modelDirectory() throws Exception {
        model = TinyModels.directory(dir, MAX_SOURCE_SUBWORDS);
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
     * characters, translated on three threads: one output line per input line, each what the line gets when
     * translated alone on the calling thread.
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

        Run run = translate(input, "--beam", Integer.toString(beam), "--batch-size", "2", "--threads", "3");
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
            Translator alone = beam == 1 ? Translator.greedy(loaded, greedy, 1, 1, w -> { })
                    : Translator.beam(loaded, search, 1, 1, w -> { });
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
                    TinyModels.IDS, options), 32, 1, w -> { }).translate(lines, 1);
            int row = 0;
            for (int i = 0; i < lines.size(); i++) {
                for (Translation t : expected.get(i).subList(0, Math.min(3, expected.get(i).size()))) {
                    assertEquals(String.format(Locale.ROOT, "%d ||| %s ||| %.4f", i, t.text(), t.score()),
                            run.output().get(row++));
                }
            }
        }
    }

    /**
     * {@code --alignments hard}: each output line is the plain output line, a tab, and one pair i-j per target piece,
     * i the source piece (eos excluded) of largest weight in the attention row of target piece j.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void hardAlignmentsFollowTheOutputLineAfterATab(int beam) throws IOException {
        List<String> lines = List.of("el perro come.", "", "la casa grande y el gato pequeño corre.");
        Path input = Files.write(dir.resolve("align.txt"), lines, UTF_8);
        String k = Integer.toString(beam);
        Run plain = translate(input, "--beam", k);
        Run run = translate(input, "--beam", k, "--alignments", "hard");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(lines.size(), run.output().size());
        assertEquals("\t", run.output().get(1), "an empty line has no translation and no pairs");
        List<List<Translation>> expected = translateWithAlignments(lines, beam);
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = run.output().get(i).split("\t", -1);
            assertEquals(2, fields.length, run.output().get(i));
            assertEquals(plain.output().get(i), fields[0], "the translation is unchanged");
            Alignment alignment = expected.get(i).get(0).alignment();
            float[][] w = alignment.weights();
            String[] pairs = fields[1].isEmpty() ? new String[0] : fields[1].split(" ");
            assertEquals(alignment.target().size(), pairs.length, "softmax gives every target piece a pair");
            for (int j = 0; j < pairs.length; j++) {
                String[] ij = pairs[j].split("-");
                int source = Integer.parseInt(ij[0]);
                assertEquals(j, Integer.parseInt(ij[1]));
                assertTrue(source < alignment.source().size() - 1, "eos is never aligned: " + pairs[j]);
                for (int other = 0; other < alignment.source().size() - 1; other++) {
                    assertTrue(w[j][other] <= w[j][source], pairs[j] + " is not the largest weight of its row");
                }
            }
        }
        Run nBest = translate(input, "--beam", "3", "--n-best", "2", "--alignments", "hard");
        assertTrue(nBest.output().get(0).matches("0 \\|\\|\\| .* \\|\\|\\| -?\\d+\\.\\d{4}\t(\\d+-\\d+ ?)*"),
                nBest.output().get(0));
    }

    /**
     * {@code --alignments soft}: one JSON object per line with the translation, the source pieces (eos last), the
     * target pieces and one attention row per target piece; with n-best lists, also the index and the score.
     */
    @Test
    void softAlignmentsAreOneJsonObjectPerLine() throws IOException {
        List<String> lines = List.of("el perro come la canción.", "");
        Path input = Files.write(dir.resolve("soft.txt"), lines, UTF_8);
        Run plain = translate(input, "--beam", "2");
        Run run = translate(input, "--beam", "2", "--alignments", "soft");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(lines.size(), run.output().size());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(run.output().get(0));
        assertEquals(List.of("translation", "source", "target", "weights"), fieldNames(first));
        assertEquals(plain.output().get(0), first.get("translation").asText());
        try (TranslationModel loaded = TranslationModel.load(model, "best")) {
            List<String> source = new ArrayList<>();
            for (int id : loaded.source().encode(lines.get(0))) {
                source.add(loaded.source().piece(id));
            }
            source.add("</s>");
            assertEquals(source, json.convertValue(first.get("source"), List.class));
        }
        int targetPieces = first.get("target").size();
        assertTrue(targetPieces > 0);
        assertEquals(targetPieces, first.get("weights").size());
        for (JsonNode row : first.get("weights")) {
            assertEquals(first.get("source").size(), row.size());
            double sum = 0;
            for (JsonNode weight : row) {
                sum += weight.asDouble();
            }
            assertEquals(1, sum, 1e-4, "an attention row is a distribution");
        }
        JsonNode empty = json.readTree(run.output().get(1));
        assertEquals("", empty.get("translation").asText());
        assertEquals(0, empty.get("source").size());
        assertEquals(0, empty.get("weights").size());

        Run nBest = translate(input, "--beam", "2", "--n-best", "2", "--alignments", "soft");
        JsonNode hypothesis = json.readTree(nBest.output().get(1));
        assertEquals(List.of("index", "score", "translation", "source", "target", "weights"), fieldNames(hypothesis));
        assertEquals(0, hypothesis.get("index").asInt());
    }

    @Test
    void anUnknownAlignmentFormatIsAUsageError() throws IOException {
        Path input = Files.write(dir.resolve("one.txt"), List.of("el perro."), UTF_8);
        Run run = translate(input, "--alignments", "fuzzy");
        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.stderr().contains("--alignments must be hard or soft: fuzzy"), run.stderr());
    }

    private static List<List<Translation>> translateWithAlignments(List<String> lines, int beam) throws IOException {
        try (TranslationModel loaded = TranslationModel.load(model, "best")) {
            return Translator.beam(loaded, new BeamSearch(loaded.model(), TinyModels.IDS,
                    BeamOptions.defaults(beam, true)), 32, 1, w -> { }).translate(lines, 1);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
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

package org.nmt4j.core.text;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nmt4j.core.data.LengthLimits;
import org.nmt4j.core.data.ParallelTextReader;
import org.nmt4j.core.data.TokenizedCorpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubwordTokenizerTest {

    /** Only characters seen in training: these round-trip exactly. */
    private static final List<String> SENTENCES = List.of(
            "el perro grande corre también.",
            "la canción del niño mañana.",
            "God’s light over the earth and heaven");
    /** 'T' and ':' never occur in the training corpus: they become unk. */
    private static final String WITH_UNKNOWN = "The child said: the tree is small.";

    @TempDir
    static Path dir;
    static Path model;
    static SubwordTokenizer tok;

    @BeforeAll
    static void trainAndLoad() throws Exception {
        model = SpmFixtures.trainModel(dir, 60);
        tok = SubwordTokenizer.load(model);
    }

    @AfterAll
    static void close() {
        if (tok != null) {
            tok.close();
        }
    }

    @Test
    void aCorpusThatFiltersToNothingIsAnErrorNamingTheFiles() throws IOException {
        Path src = dir.resolve("nothing.es");
        Path tgt = dir.resolve("nothing.en");
        Files.writeString(src, "la casa\n\nel perro grande\n", StandardCharsets.UTF_8);
        Files.writeString(tgt, "\nthe dog\nthe big dog\n", StandardCharsets.UTF_8);
        try (ParallelTextReader reader = ParallelTextReader.open(src, tgt,
                new LengthLimits(1000, 1000))) {
            // Line 3 survives the reader but has more than 2 subwords on each side.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TokenizedCorpus.tokenize(reader, tok, tok, 2, 2));
            assertTrue(e.getMessage().contains("nothing.es")
                    && e.getMessage().contains("nothing.en") && e.getMessage().contains("1 over the subword limits"),
                    e.getMessage());
        }
    }

    @Test
    void specialIdsAndVocabSizeMatchTheTrainedModel() throws IOException {
        assertEquals(0, tok.padId());
        assertEquals(1, tok.unkId());
        assertEquals(2, tok.bosId());
        assertEquals(3, tok.eosId());
        long vocabLines = Files.readAllLines(dir.resolve("spm/spm.vocab"), StandardCharsets.UTF_8).size();
        assertEquals(vocabLines, tok.vocabSize());
        assertEquals("<pad>", tok.piece(0));
        assertEquals("</s>", tok.piece(3));
    }

    @Test
    void idsAreIdenticalToSpmEncode() throws Exception {
        SpmFixtures.requireCommand("spm_encode", "sentencepiece");
        Path input = dir.resolve("sentences.txt");
        List<String> sentences = new ArrayList<>(SENTENCES);
        sentences.add(WITH_UNKNOWN);
        Files.write(input, sentences, StandardCharsets.UTF_8);
        String out = SpmFixtures.runOk(dir, List.of("spm_encode", "--model", model.toString(),
                "--output_format=id", "--input", input.toString()));
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(sentences.size(), lines.size(), out);
        for (int i = 0; i < sentences.size(); i++) {
            int[] expected = Arrays.stream(lines.get(i).trim().split(" ")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(expected, tok.encode(sentences.get(i)), sentences.get(i));
        }
    }

    @Test
    void unknownCharactersBecomeUnk() {
        int[] ids = tok.encode(WITH_UNKNOWN);
        assertEquals(2, Arrays.stream(ids).filter(id -> id == tok.unkId()).count(), Arrays.toString(ids));
        String decoded = tok.decode(ids);
        assertEquals(2, decoded.chars().filter(c -> c == '\u2047').count(), decoded);
        assertTrue(decoded.contains("he child said") && decoded.endsWith(" the tree is small."), decoded);
    }

    @Test
    void roundTripIsExactAndPiecesMatchIds() {
        for (String s : SENTENCES) {
            int[] ids = tok.encode(s);
            assertTrue(ids.length > 1);
            assertEquals(s, tok.decode(ids));
            List<String> pieces = tok.pieces(s);
            List<String> fromIds = new ArrayList<>();
            for (int id : ids) {
                fromIds.add(tok.piece(id));
            }
            assertEquals(fromIds, pieces);
            assertEquals(ids[0], tok.id(pieces.get(0)));
        }
    }

    @Test
    void controlIdsDecodeToNothing() {
        int[] ids = tok.encode("el gato");
        int[] wrapped = new int[ids.length + 3];
        wrapped[0] = tok.bosId();
        System.arraycopy(ids, 0, wrapped, 1, ids.length);
        wrapped[ids.length + 1] = tok.eosId();
        wrapped[ids.length + 2] = tok.padId();
        assertEquals("el gato", tok.decode(wrapped));
    }

    @Test
    void outOfRangeIdsAreRejectedBeforeNativeCode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.piece(tok.vocabSize()));
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tok.piece(-1));
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {5, 1_000_000}));
        assertEquals(tok.piece(tok.vocabSize() - 1), tok.piece(tok.vocabSize() - 1));
    }

    @Test
    void missingModelIsAClearError() {
        Path missing = dir.resolve("nope.model");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubwordTokenizer.load(missing));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("nope.model"), e.getMessage());
    }

    @Test
    void truncatedGarbageAndEmptyModelsAreClearErrors() throws IOException {
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = dir.resolve("truncated.model");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
        Path garbage = dir.resolve("garbage.model");
        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        Files.write(garbage, noise);
        Path empty = dir.resolve("empty.model");
        Files.write(empty, new byte[0]);
        Path text = dir.resolve("text.model");
        Files.writeString(text, "this is not a model\n");
        for (Path bad : List.of(truncated, garbage, empty, text)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SubwordTokenizer.load(bad), bad.toString());
            assertTrue(e.getMessage().contains(bad.getFileName().toString()), e.getMessage());
        }
    }

    @Test
    void modelWithoutPadPieceIsRejected() throws Exception {
        Path noPad = dir.resolve("nopad");
        Files.createDirectories(noPad);
        SpmFixtures.runOk(dir, List.of("spm_train", "--input=" + dir.resolve("corpus.es"),
                "--model_prefix=" + noPad.resolve("m"), "--vocab_size=40", "--minloglevel=2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubwordTokenizer.load(noPad.resolve("m.model")));
        assertTrue(e.getMessage().contains("no pad piece <pad>"), e.getMessage());
    }
}

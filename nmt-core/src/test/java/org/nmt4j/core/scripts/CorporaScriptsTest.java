package org.nmt4j.core.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmt4j.core.text.SpmFixtures;
import org.nmt4j.core.text.SpmFixtures.Run;

/** Runs corpora-scripts/prepare-corpus.sh and train-spm.sh on tiny generated corpora. */
class CorporaScriptsTest {

    @TempDir
    Path dir;

    private Run script(String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SpmFixtures.scriptsDir().resolve(name).toString()));
        cmd.addAll(List.of(args));
        return SpmFixtures.run(dir, cmd);
    }

    private List<String> lines(String file) throws IOException {
        return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void prepareCorpusCleansFiltersDeduplicatesAndSplits() throws Exception {
        SpmFixtures.writeCorpus(dir, 200, 3);
        List<String> es = new ArrayList<>(lines("corpus.es"));
        List<String> en = new ArrayList<>(lines("corpus.en"));
        es.add("  el\tperro \u0007 grande  ");   // cleaned to "el perro grande"
        en.add("the big  dog");
        es.add("el perro grande");               // duplicate of the cleaned pair above
        en.add("the big dog");
        es.add("");                              // empty
        en.add("x");
        es.add("uno");                           // ratio 1:6
        en.add("a b c d e f");
        Files.write(dir.resolve("c.es"), es, StandardCharsets.UTF_8);
        Files.write(dir.resolve("c.en"), en, StandardCharsets.UTF_8);

        Run r = script("prepare-corpus.sh", "--out", "out", "--src", "c.es", "--tgt", "c.en", "--src-lang", "es",
                "--tgt-lang", "en", "--dev-size", "10", "--test-size", "15", "--seed", "4", "--max-ratio", "3");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("empty 1") && r.output().contains("ratio 1"), r.output());
        List<String> trainEs = lines("out/train.es");
        List<String> trainEn = lines("out/train.en");
        assertEquals(10, lines("out/dev.es").size());
        assertEquals(15, lines("out/test.en").size());
        assertEquals(trainEs.size(), trainEn.size());
        Set<String> pairs = new HashSet<>();
        for (String split : List.of("train", "dev", "test")) {
            List<String> s = lines("out/" + split + ".es");
            List<String> t = lines("out/" + split + ".en");
            for (int i = 0; i < s.size(); i++) {
                assertTrue(pairs.add(s.get(i) + "\t" + t.get(i)), "duplicate pair " + s.get(i));
                assertFalse(s.get(i).isBlank() || s.get(i).contains("  ") || s.get(i).contains("\u0007"));
            }
        }
        assertTrue(pairs.contains("el perro grande\tthe big dog"));
        assertTrue(r.output().contains("train " + trainEs.size() + ", dev 10, test 15"), r.output());

        // Idempotent: a second run leaves the outputs alone.
        Run again = script("prepare-corpus.sh", "--out", "out", "--src", "c.es", "--tgt", "c.en", "--src-lang",
                "es", "--tgt-lang", "en", "--dev-size", "10", "--test-size", "15", "--seed", "4");
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("nothing to do"), again.output());

        // Another seed draws another dev set.
        Run other = script("prepare-corpus.sh", "--out", "out2", "--src", "c.es", "--tgt", "c.en", "--src-lang",
                "es", "--tgt-lang", "en", "--dev-size", "10", "--test-size", "15", "--seed", "5");
        assertEquals(0, other.exitCode(), other.output());
        assertNotEquals(lines("out/dev.es"), lines("out2/dev.es"));
    }

    @Test
    void prepareCorpusReadsTsvAndGivenDevTest() throws Exception {
        SpmFixtures.writeCorpus(dir, 60, 5);
        List<String> es = lines("corpus.es");
        List<String> en = lines("corpus.en");
        List<String> tsv = new ArrayList<>();
        for (int i = 0; i < es.size(); i++) {
            tsv.add(es.get(i) + "\t" + en.get(i));
        }
        Files.write(dir.resolve("c.tsv"), tsv, StandardCharsets.UTF_8);
        Files.write(dir.resolve("dev.tsv"), List.of("hola\thello", "adiós\tgoodbye"), StandardCharsets.UTF_8);
        Files.write(dir.resolve("test.tsv"), List.of("sí\tyes"), StandardCharsets.UTF_8);
        Run r = script("prepare-corpus.sh", "--out", "o", "--tsv", "c.tsv", "--dev-tsv", "dev.tsv",
                "--test-tsv", "test.tsv");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("hola", "adiós"), lines("o/dev.src"));
        assertEquals(List.of("yes"), lines("o/test.tgt"));
        assertEquals(lines("o/train.src").size(), lines("o/train.tgt").size());
        assertTrue(lines("o/train.src").size() > 50);
    }

    @Test
    void prepareCorpusErrorsNameFileAndLine() throws Exception {
        Files.write(dir.resolve("a.txt"), List.of("uno", "dos", "tres"), StandardCharsets.UTF_8);
        Files.write(dir.resolve("b.txt"), List.of("one", "two"), StandardCharsets.UTF_8);
        Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', '\n', 'b', (byte) 0xE2, (byte) 0x28, '\n', 'x', '\n'});
        Files.write(dir.resolve("t.tsv"), List.of("a\tb", "only one field"), StandardCharsets.UTF_8);

        Run missing = script("prepare-corpus.sh", "--out", "o", "--src", "nope.txt", "--tgt", "b.txt");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.output().contains("file not found: nope.txt"), missing.output());

        Run counts = script("prepare-corpus.sh", "--out", "o", "--src", "a.txt", "--tgt", "b.txt");
        assertEquals(1, counts.exitCode());
        assertTrue(counts.output().contains("b.txt ends after 2 lines but a.txt goes on at line 3"), counts.output());

        Run utf8 = script("prepare-corpus.sh", "--out", "o", "--src", "a.txt", "--tgt", "bad.txt");
        assertEquals(1, utf8.exitCode());
        assertTrue(utf8.output().contains("bad.txt line 2: invalid UTF-8"), utf8.output());

        Run tsv = script("prepare-corpus.sh", "--out", "o", "--tsv", "t.tsv");
        assertEquals(1, tsv.exitCode());
        assertTrue(tsv.output().contains("t.tsv line 2: expected 2 tab-separated fields, found 1"), tsv.output());

        assertFalse(Files.exists(dir.resolve("o/train.src")), "no output may be left after an error");
    }

    @Test
    void trainSpmJointAndSeparateWithNmt4jSpecialIds() throws Exception {
        SpmFixtures.requireCommand("spm_train", "sentencepiece");
        SpmFixtures.writeCorpus(dir, 300, 9);
        Run joint = script("train-spm.sh", "--out", "m", "--src", "corpus.es", "--tgt", "corpus.en",
                "--vocab-size", "50", "--model-type", "bpe");
        assertEquals(0, joint.exitCode(), joint.output());
        List<String> vocab = lines("m/spm.vocab");
        assertEquals(50, vocab.size());
        assertEquals(List.of("<pad>", "<unk>", "<s>", "</s>"),
                vocab.subList(0, 4).stream().map(l -> l.split("\t")[0]).toList());
        assertTrue(Files.size(dir.resolve("m/spm.model")) > 0);

        Run again = script("train-spm.sh", "--out", "m", "--src", "corpus.es", "--tgt", "corpus.en");
        assertEquals(0, again.exitCode());
        assertTrue(again.output().contains("exists; skipping"), again.output());

        Run separate = script("train-spm.sh", "--out", "s", "--src", "corpus.es", "--tgt", "corpus.en",
                "--separate", "--vocab-size", "40");
        assertEquals(0, separate.exitCode(), separate.output());
        List<String> src = lines("s/spm.src.vocab");
        List<String> tgt = lines("s/spm.tgt.vocab");
        assertEquals(40, src.size());
        assertEquals(40, tgt.size());
        assertNotEquals(src, tgt);
        assertTrue(src.stream().anyMatch(l -> l.startsWith("ñ") || l.contains("ñ")), "Spanish model lacks ñ");
    }

    @Test
    void trainSpmRejectsBadArguments() throws Exception {
        SpmFixtures.writeCorpus(dir, 20, 1);
        Run type = script("train-spm.sh", "--out", "m", "--src", "corpus.es", "--tgt", "corpus.en",
                "--model-type", "word2");
        assertEquals(1, type.exitCode());
        assertTrue(type.output().contains("--model-type must be unigram or bpe"), type.output());
        Run missing = script("train-spm.sh", "--out", "m", "--src", "nope.es", "--tgt", "corpus.en");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.output().contains("input file not found: nope.es"), missing.output());
        Run tooBig = script("train-spm.sh", "--out", "m", "--src", "corpus.es", "--tgt", "corpus.en",
                "--vocab-size", "5000");
        assertEquals(1, tooBig.exitCode());
        assertTrue(tooBig.output().contains("spm_train failed"), tooBig.output());
        assertFalse(Files.exists(dir.resolve("m/spm.model")), "a failed run must leave no model");
    }
}

package org.nmt4j.core.text;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Test helpers: runs the corpora-scripts and Debian's SentencePiece tools, and makes a small parallel corpus. */
public final class SpmFixtures {

    private static final String[] ES = {"el", "la", "casa", "perro", "gato", "grande", "pequeño", "corre", "come",
        "niño", "niña", "árbol", "agua", "canción", "mañana", "también", "Jehová", "dijo", "tierra", "cielo"};
    private static final String[] EN = {"the", "house", "dog", "cat", "big", "small", "runs", "eats", "child",
        "tree", "water", "song", "tomorrow", "also", "said", "earth", "heaven", "God’s", "light", "day"};

    private SpmFixtures() {
    }

    /** Result of a finished process: exit code and combined stdout+stderr. */
    public record Run(int exitCode, String output) {
    }

    /** The repository's corpora-scripts folder (tests run in the nmt-core module folder). */
    public static Path scriptsDir() {
        Path dir = Path.of("..", "corpora-scripts").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            fail("corpora-scripts not found at " + dir + "; run the tests from the repository checkout");
        }
        return dir;
    }

    /** Fails the test (never skips) with an install hint when a command is missing. */
    public static void requireCommand(String command, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        fail(command + " not found on PATH: install it with `apt-get install " + debianPackage
                + "` (.ci/run does this on CI)");
    }

    /** Runs a command with a 2-minute limit and returns its exit code and output. */
    public static Run run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs a command and fails the test, showing its output, unless it exits 0. */
    public static String runOk(Path workDir, List<String> command) throws IOException, InterruptedException {
        Run r = run(workDir, command);
        if (r.exitCode() != 0) {
            fail("exit " + r.exitCode() + " from " + command + ":\n" + r.output());
        }
        return r.output();
    }

    /** Writes {@code n} random aligned sentence pairs to {@code dir/corpus.es} and {@code dir/corpus.en}. */
    public static void writeCorpus(Path dir, int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> es = new ArrayList<>();
        List<String> en = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 3 + r.nextInt(12);
            es.add(sentence(ES, len, r));
            en.add(sentence(EN, len, r));
        }
        Files.write(dir.resolve("corpus.es"), es, StandardCharsets.UTF_8);
        Files.write(dir.resolve("corpus.en"), en, StandardCharsets.UTF_8);
    }

    /** Trains a joint unigram model of {@code vocabSize} pieces with train-spm.sh; returns the .model path. */
    public static Path trainModel(Path dir, int vocabSize) throws IOException, InterruptedException {
        requireCommand("spm_train", "sentencepiece");
        writeCorpus(dir, 400, 7);
        runOk(dir, List.of("bash", scriptsDir().resolve("train-spm.sh").toString(), "--out", "spm",
                "--src", "corpus.es", "--tgt", "corpus.en", "--vocab-size", Integer.toString(vocabSize)));
        return dir.resolve("spm/spm.model");
    }

    private static String sentence(String[] words, int len, Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(words[r.nextInt(words.length)]);
        }
        return sb.append('.').toString();
    }
}

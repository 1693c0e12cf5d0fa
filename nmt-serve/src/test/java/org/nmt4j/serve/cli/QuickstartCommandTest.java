package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmt4j.cli.Main;
import org.nmt4j.core.text.SpmFixtures;
import org.nmt4j.serve.TinyCorpus;

/** {@code nmt quickstart} end to end on a tiny corpus laid out as the Bible scripts leave it. */
class QuickstartCommandTest {

    @Test
    void trainsTranslatesAndScoresTheTestSet(@TempDir Path dir) throws Exception {
        Path data = TinyCorpus.create(dir.resolve("data"));
        Path model = dir.resolve("model");
        List<String> args = new ArrayList<>(List.of("quickstart", "--data", data.toString(), "-m", model.toString(),
                "--steps", "4", "--beam", "2"));
        for (String set : TinyCorpus.TINY_MODEL) {
            args.addAll(List.of("--set", set));
        }
        String home = System.getProperty("nmt.home");
        System.setProperty("nmt.home", SpmFixtures.scriptsDir().getParent().toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, UTF_8));
        int exit;
        try {
            exit = new Main(List.of(new QuickstartCommand()), false).run(args.toArray(String[]::new));
        } finally {
            System.setOut(saved);
            if (home == null) {
                System.clearProperty("nmt.home");
            } else {
                System.setProperty("nmt.home", home);
            }
        }
        String output = out.toString(UTF_8);
        assertEquals(0, exit, output);
        for (int stage = 1; stage <= 5; stage++) {
            assertTrue(output.contains("== [" + stage + "/5]"), "stage " + stage + " announced:\n" + output);
        }
        assertTrue(output.contains("BLEU = "), output);
        assertTrue(output.contains("chrF2 = "), output);
        assertTrue(output.contains("reference:"), output);
        assertEquals(12, Files.readAllLines(model.resolve("test.hyp.en"), UTF_8).size());
    }
}

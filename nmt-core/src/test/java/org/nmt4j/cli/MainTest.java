package org.nmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Main}: dispatch, help, exit codes, and {@code nmt eval} end to end on small files. */
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A command that echoes its argument, or fails the way it is told to. */
    private static final class Echo implements Command {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String description() {
            return "print the --text";
        }

        @Override
        public Options options() {
            return new Options().addOption(Option.builder().longOpt("text").hasArg().build())
                    .addOption(Option.builder().longOpt("fail").hasArg().build());
        }

        @Override
        public int run(CommandLine line) {
            String fail = line.getOptionValue("fail", "");
            if (fail.equals("usage")) {
                throw new UsageException("bad --text");
            }
            if (fail.equals("runtime")) {
                throw new IllegalStateException("it broke");
            }
            System.out.println(line.getOptionValue("text"));
            return 0;
        }
    }

    private Main echoMain(boolean debug) {
        return new Main(List.of(new Echo()), debug);
    }

    @Test
    void dispatchesToTheNamedCommand() {
        assertEquals(0, echoMain(false).run("echo", "--text", "hello"));
        assertEquals("hello\n", out());
    }

    @Test
    void helpListsCommandsAndCommandHelpListsOptions() {
        assertEquals(0, echoMain(false).run("--help"));
        assertTrue(out().contains("echo  print the --text"), out());
        out.reset();
        assertEquals(0, echoMain(false).run("echo", "--help"));
        assertTrue(out().contains("--text"), out());
        assertTrue(out().contains("--verbose"), out());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, echoMain(false).run("nope"));
        assertTrue(err().contains("unknown command 'nope'"), err());
        assertEquals(2, echoMain(false).run());
        assertEquals(2, echoMain(false).run("echo", "--no-such-option"));
        assertEquals(2, echoMain(false).run("echo", "--fail", "usage"));
        assertTrue(err().contains("bad --text"), err());
    }

    @Test
    void runtimeErrorsExitWithOneAndShowTracesOnlyWhenAsked() {
        assertEquals(1, echoMain(false).run("echo", "--fail", "runtime"));
        assertTrue(err().contains("nmt echo: error: it broke"), err());
        assertFalse(err().contains("at org.nmt4j"), err());
        err.reset();
        assertEquals(1, echoMain(false).run("echo", "--fail", "runtime", "--verbose"));
        assertTrue(err().contains("at org.nmt4j"), err());
        err.reset();
        assertEquals(1, echoMain(true).run("echo", "--fail", "runtime"));
        assertTrue(err().contains("IllegalStateException"), err());
    }

    @Test
    void serviceLoaderFindsEval() {
        assertEquals(0, new Main().run("--help"));
        assertTrue(out().contains("eval "), out());
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void evalPrintsSacrebleuReadmeFigures() throws IOException {
        // sacreBLEU README.md, "Using SacreBLEU from Python": two references, BLEU 48.53, chrF2 59.73
        Path ref1 = write("ref1", "The dog bit the man.", "It was not unexpected.", "The man bit him first.");
        Path ref2 = write("ref2", "The dog had bit the man.", "No one was surprised.", "The man had bitten the dog.");
        Path hyp = write("hyp", "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
        assertEquals(0, new Main().run("eval", "--ref", ref1.toString(), "--ref", ref2.toString(), "--hyp", hyp.toString()));
        String[] lines = out().split("\n");
        assertEquals(2, lines.length, out());
        assertTrue(lines[0].endsWith("|smooth:exp|version:2.6.0 = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 "
                + "hyp_len = 17 ref_len = 18)"), lines[0]);
        assertTrue(lines[0].startsWith("  BLEU|nrefs:2|case:mixed|eff:no|tok:13a"), lines[0]);
        assertEquals("chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 59.73", lines[1]);
    }

    @Test
    void evalJsonAndPairedBootstrap() throws IOException {
        Path ref = write("ref", "The dog bit the man.", "It was not unexpected.", "The man bit him first.",
                "A cat sat on the mat.");
        Path hyp = write("hyp", "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.",
                "The cat sat on a mat.");
        Path hyp2 = write("hyp2", "A dog bit a man.", "It was not surprising.", "The man bit him first.",
                "A cat sat on the mat.");
        assertEquals(0, new Main().run("eval", "-r", ref.toString(), "-i", hyp.toString(), "--json"));
        JsonNode single = new ObjectMapper().readTree(out());
        assertEquals("BLEU", single.get("metrics").get(0).get("name").asText());
        assertEquals("chrF2", single.get("metrics").get(1).get("name").asText());
        out.reset();

        assertEquals(0, new Main().run("eval", "-r", ref.toString(), "-i", hyp.toString(), "-i", hyp2.toString(),
                "-i", hyp.toString(), "--json", "--paired-bs-n", "100"));
        JsonNode paired = new ObjectMapper().readTree(out());
        assertEquals(100, paired.get("paired_bootstrap").get("resamples").asInt());
        assertEquals("nrefs:1|bs:100|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
                paired.get("signatures").get("BLEU").asText());
        JsonNode systems = paired.get("systems");
        assertEquals(3, systems.size());
        assertFalse(systems.get(0).get("BLEU").has("p_value"));
        assertEquals(single.get("metrics").get(0).get("score").asDouble(), systems.get(0).get("BLEU").get("score").asDouble());
        // the baseline against itself: p = 1 / (100 + 1) in sacreBLEU's test
        assertEquals(1.0 / 101, systems.get(2).get("BLEU").get("p_value").asDouble(), 1e-12);
        out.reset();

        assertEquals(0, new Main().run("eval", "-r", ref.toString(), "-i", hyp.toString(), "-i", hyp2.toString()));
        assertTrue(out().contains("│ Baseline: " + hyp + " │"), out());
        assertTrue(out().contains("BLEU (μ ± 95% CI)"), out());
        assertTrue(out().contains("(p = "), out());
        assertTrue(out().contains("Paired bootstrap resampling test with 1000 resampling trials"), out());
    }

    @Test
    void evalRejectsBadInputWithClearErrors() throws IOException {
        Path ref = write("ref", "a b c", "d e f");
        Path shortHyp = write("short", "a b c");
        assertEquals(1, new Main().run("eval", "-r", ref.toString(), "-i", shortHyp.toString()));
        assertTrue(err().contains(shortHyp + " has 1 lines but " + ref + " has 2"), err());
        err.reset();

        Path bad = dir.resolve("bad");
        Files.write(bad, new byte[] {'a', '\n', (byte) 0xC3, '(', '\n'});
        assertEquals(1, new Main().run("eval", "-r", ref.toString(), "-i", bad.toString()));
        assertTrue(err().contains(bad + ":2: invalid UTF-8"), err());
        err.reset();

        assertEquals(1, new Main().run("eval", "-r", dir.resolve("missing").toString(), "-i", ref.toString()));
        assertTrue(err().contains("missing: no such file"), err());
        err.reset();

        Path emptyRef = write("emptyref", "a b c", "");
        assertEquals(1, new Main().run("eval", "-r", emptyRef.toString(), "-i", ref.toString()));
        assertTrue(err().contains("empty reference for segment 2"), err());
        err.reset();

        assertEquals(2, new Main().run("eval", "-r", ref.toString()));
        assertTrue(err().contains("missing required option --hyp"), err());
    }

    @Test
    void linesEndAtNewlineOnly() throws IOException {
        Path f = dir.resolve("crlf");
        Files.write(f, "a\r\nb\rc\n\nd".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("a\r", "b\rc", "", "d"), TextFile.readLines(f));
    }
}

package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmt4j.cli.Main;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.TinyModels;

/** {@code nmt attention} on a random model with a real SentencePiece model. */
class AttentionCommandTest {

    @TempDir
    static Path dir;
    static ModelDirectory model;

    @BeforeAll
    static void modelDirectory() throws Exception {
        model = TinyModels.directory(dir, 40);
    }

    record Run(int exitCode, String stdout, String stderr) {
    }

    static Run attention(String... options) {
        List<String> args = new ArrayList<>(List.of("attention", "-m", model.root().toString()));
        args.addAll(List.of(options));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(stdout, true, UTF_8));
        System.setErr(new PrintStream(stderr, true, UTF_8));
        try {
            int exitCode = new Main(List.of(new AttentionCommand()), false).run(args.toArray(String[]::new));
            return new Run(exitCode, stdout.toString(UTF_8), stderr.toString(UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void aSentenceGivesOnePng() throws IOException {
        Path png = dir.resolve("one.png");
        Run run = attention("--src", "el perro come la canción.", "-o", png.toString(), "--beam", "3");
        assertEquals(0, run.exitCode(), run.stderr());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 300 && image.getHeight() > 200, image.getWidth() + "x" + image.getHeight());
        assertEquals(1, run.stdout().lines().count(), "the translation: " + run.stdout());
    }

    @Test
    void aFileGivesOnePngPerLineAndSkipsEmptyLines() throws IOException {
        Path input = Files.write(dir.resolve("in.txt"), List.of("el perro.", "", "la casa grande."), UTF_8);
        Path out = dir.resolve("plots/att.png");
        Files.createDirectories(out.getParent());
        Run run = attention("-i", input.toString(), "-o", out.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(Files.size(dir.resolve("plots/att-1.png")) > 1000);
        assertTrue(Files.size(dir.resolve("plots/att-3.png")) > 1000);
        assertTrue(Files.notExists(dir.resolve("plots/att-2.png")));
        assertTrue(run.stderr().contains("warning: line 2: the source has no pieces, no image"), run.stderr());
        assertEquals(3, run.stdout().lines().count(), run.stdout());
    }

    @Test
    void srcAndInputAreExclusiveAndTheOutputIsAPng() {
        Run both = attention("--src", "el perro.", "-i", "x.txt", "-o", "a.png");
        assertEquals(Main.USAGE, both.exitCode());
        assertTrue(both.stderr().contains("give either --src TEXT or -i FILE"), both.stderr());
        Run notPng = attention("--src", "el perro.", "-o", "a.jpg");
        assertEquals(Main.USAGE, notPng.exitCode());
        assertTrue(notPng.stderr().contains("-o must name a .png file: a.jpg"), notPng.stderr());
    }
}

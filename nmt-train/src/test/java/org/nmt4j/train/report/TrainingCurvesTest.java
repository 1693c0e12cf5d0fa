package org.nmt4j.train.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final double NAN = Double.NaN;

    @TempDir
    Path dir;

    /** A loss falling from about 9, learning rate with warm-up, validation every {@code devEvery} rows (0: never). */
    private static List<MetricsCsv.Row> run(int rows, int devEvery) {
        List<MetricsCsv.Row> out = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            long step = 100L * i;
            double loss = 2 + 7 * Math.exp(-i / 20.0) + 0.1 * Math.sin(i);
            boolean dev = devEvery > 0 && i % devEvery == 0;
            double progress = 1 - Math.exp(-i / 30.0);
            out.add(new MetricsCsv.Row(step, i / 30, 12.5 * i, loss, 5e-4 * Math.min(1, i / 10.0), 10_345.25,
                    dev ? loss + 0.3 : NAN, dev ? Math.exp(loss + 0.3) : NAN, dev ? 40 * progress : NAN,
                    dev ? 60 * progress : NAN));
        }
        return out;
    }

    private Path csv(List<MetricsCsv.Row> rows) throws IOException {
        Path file = dir.resolve("metrics.csv");
        for (MetricsCsv.Row row : rows) {
            MetricsCsv.append(file, row);
        }
        return file;
    }

    @Test
    void writtenRowsReadBackEqual() throws IOException {
        List<MetricsCsv.Row> rows = run(50, 10);
        Path file = csv(rows);
        assertEquals(rows, MetricsCsv.read(file));
        List<String> lines = Files.readAllLines(file);
        assertEquals(MetricsCsv.HEADER, lines.get(0));
        assertEquals(51, lines.size());
        assertTrue(lines.get(1).endsWith(",,,,"), lines.get(1));
    }

    @Test
    void plotsTwoPanelsOfTheRequestedSize() throws IOException {
        Path png = dir.resolve("curves.png");
        TrainingCurves.plot(csv(run(80, 10)), png, 1000, 400);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1000, image.getWidth());
        assertEquals(400, image.getHeight());
        assertTrue(distinctColours(image) > 5, "the image should hold drawn charts");
    }

    @Test
    void theDefaultSizeIsUsedAndOnlyThePngIsLeft() throws IOException {
        Path metrics = csv(run(20, 5));
        Path png = dir.resolve("curves.png");
        TrainingCurves.plot(metrics, png);
        TrainingCurves.plot(metrics, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(TrainingCurves.WIDTH, image.getWidth());
        assertEquals(TrainingCurves.HEIGHT, image.getHeight());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("curves.png", "metrics.csv"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList());
        }
    }

    @Test
    void aRunWithoutValidationStillPlots() throws IOException {
        Path png = dir.resolve("curves.png");
        TrainingCurves.plot(csv(run(30, 0)), png, 800, 300);
        assertEquals(800, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void aFileWithOnlyTheHeaderStillPlots() throws IOException {
        Path metrics = dir.resolve("metrics.csv");
        Files.writeString(metrics, MetricsCsv.HEADER + "\n");
        Path png = dir.resolve("curves.png");
        TrainingCurves.plot(metrics, png, 600, 300);
        assertEquals(300, ImageIO.read(png.toFile()).getHeight());
    }

    @Test
    void malformedFilesNameTheFileAndLine() throws IOException {
        Path file = dir.resolve("metrics.csv");
        String good = "100,0,12.5,7.25,1.0E-4,9000.0,,,,\n";
        assertMalformed(file, "step,loss\n", file + " line 1: expected the header " + MetricsCsv.HEADER
                + ", got step,loss");
        assertMalformed(file, MetricsCsv.HEADER + "\n" + good + "200,0,25.0,7.1\n",
                file + " line 3: expected 10 columns, got 4");
        assertMalformed(file, MetricsCsv.HEADER + "\n" + good + good + "300,0,37.5,seven,1.0E-4,9000.0,,,,\n",
                file + " line 4: column train_loss is not a number: \"seven\"");
        assertMalformed(file, MetricsCsv.HEADER + "\n,0,12.5,7.25,1.0E-4,9000.0,,,,\n",
                file + " line 2: step and epoch must be whole numbers, got \"\" and \"0\"");
        assertMalformed(file, "", file + " line 1: expected the header " + MetricsCsv.HEADER + ", the file is empty");
    }

    private static void assertMalformed(Path file, String content, String message) throws IOException {
        Files.writeString(file, content);
        IOException e = assertThrows(IOException.class, () -> TrainingCurves.plot(file, file.resolveSibling("x.png")));
        assertEquals(message, e.getMessage());
    }

    private static long distinctColours(BufferedImage image) {
        return Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
                .distinct().count();
    }
}

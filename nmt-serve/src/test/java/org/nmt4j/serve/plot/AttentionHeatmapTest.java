package org.nmt4j.serve.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmt4j.serve.translate.Alignment;

class AttentionHeatmapTest {

    @TempDir
    Path dir;

    /**
     * A 2×3 alignment whose first row is all on the first source piece and second row all on the second: the cells
     * of weight 1 have the darkest shade, the cells of weight 0 are white, the first target piece is the top row.
     */
    @Test
    void zeroCellsAreWhiteAndFullCellsDark() throws IOException {
        Alignment alignment = new Alignment(List.of("▁el", "▁perro", "</s>"), List.of("▁the", "▁dog"),
                new float[][] {{1, 0, 0}, {0, 1, 0}});
        Path png = dir.resolve("a.png");
        AttentionHeatmap.write(alignment, "the dog", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 300 && image.getWidth() <= 1000, "width " + image.getWidth());
        assertTrue(image.getHeight() >= 200 && image.getHeight() <= 1000, "height " + image.getHeight());

        // The top-left cell (row 0, column 0) is the leftmost, then topmost, pixel of the full shade: the legend,
        // which also shows that shade, is on the right.
        Color full = AttentionHeatmap.SHADES[AttentionHeatmap.SHADES.length - 1];
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        for (int x = 0; x < image.getWidth() && left == Integer.MAX_VALUE; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if (near(image.getRGB(x, y), full)) {
                    left = x;
                    top = y;
                    break;
                }
            }
        }
        assertNotEquals(Integer.MAX_VALUE, left, "no cell of weight 1");
        int width = 0;
        while (near(image.getRGB(left + width, top + 1), full)) {
            width++;
        }
        int height = 0;
        while (near(image.getRGB(left + 1, top + height), full)) {
            height++;
        }
        assertTrue(width > 10 && height > 10, "cell " + width + "x" + height);
        int[] centerX = {left + width / 2, left + width + width / 2, left + 2 * width + width / 2};
        int[] centerY = {top + height / 2, top + height + height / 2};
        assertTrue(near(image.getRGB(centerX[0], centerY[0]), full), "the cell (the, el) is full");
        assertTrue(near(image.getRGB(centerX[1], centerY[1]), full), "the cell (dog, perro) is full");
        for (int[] zero : new int[][] {{1, 0}, {2, 0}, {0, 1}, {2, 1}}) {
            assertEquals(AttentionHeatmap.ZERO.getRGB(), image.getRGB(centerX[zero[0]], centerY[zero[1]]),
                    "the cell of row " + zero[1] + ", column " + zero[0] + " is 0");
        }
        assertTrue(AttentionHeatmap.ZERO.getRGB() != AttentionHeatmap.SHADES[0].getRGB(),
                "the smallest weight differs from 0");
    }

    @Test
    void anAlignmentWithoutTargetPiecesIsRefused() {
        Alignment empty = new Alignment(List.of("▁el", "</s>"), List.of(), new float[0][]);
        Path png = dir.resolve("b.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttentionHeatmap.write(empty, "", png));
        assertTrue(e.getMessage().contains("0 target"), e.getMessage());
        assertTrue(Files.notExists(png));
    }

    private static boolean near(int rgb, Color color) {
        Color c = new Color(rgb);
        return Math.abs(c.getRed() - color.getRed()) + Math.abs(c.getGreen() - color.getGreen())
                + Math.abs(c.getBlue() - color.getBlue()) <= 12;
    }
}

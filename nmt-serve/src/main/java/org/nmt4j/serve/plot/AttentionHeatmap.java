package org.nmt4j.serve.plot;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
import org.nmt4j.serve.translate.Alignment;

/**
 * Draws an {@link Alignment} as a heatmap PNG with XChart: one row per target piece (the first at the top), one
 * column per source piece (eos last), the pieces as axis labels. The shade runs from pale yellow (weight near 0)
 * to dark red (weight 1) on a fixed scale, so that plots compare. Cells of weight exactly 0 are not drawn and show
 * the white background: the zeros of sparsemax and structured attention stand out from small weights.
 */
public final class AttentionHeatmap {

    /** Shades of weight 0, 0.5 and 1 (ColorBrewer YlOrRd). */
    static final Color[] SHADES = {new Color(255, 255, 204), new Color(253, 141, 60), new Color(128, 0, 38)};
    static final Color ZERO = Color.WHITE;

    /** Pixels per cell, and the room around the cells for the labels, title and legend. */
    private static final int CELL = 28;
    private static final int MARGIN_WIDTH = 260;
    private static final int MARGIN_HEIGHT = 200;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private AttentionHeatmap() {
    }

    /**
     * Writes the heatmap of {@code alignment} to {@code png}.
     *
     * @param title the chart title, e.g. the translation
     * @throws IllegalArgumentException if the alignment has no target or no source piece
     */
    public static void write(Alignment alignment, String title, Path png) throws IOException {
        int rows = alignment.target().size();
        int columns = alignment.source().size();
        if (rows == 0 || columns == 0) {
            throw new IllegalArgumentException("nothing to plot: the translation has " + rows + " target and "
                    + columns + " source pieces");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(MARGIN_WIDTH + CELL * columns)
                .height(MARGIN_HEIGHT + CELL * rows).title(title).xAxisTitle("source").yAxisTitle("target").build();
        HeatMapStyler styler = chart.getStyler();
        styler.setRangeColors(SHADES);
        styler.setMin(0);
        styler.setMax(1);
        styler.setPlotBackgroundColor(ZERO);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(false);
        styler.setXAxisLabelRotation(90);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        // XChart's y axis grows upwards: list the target pieces last to first so the first is at the top.
        List<String> target = new ArrayList<>(alignment.target());
        Collections.reverse(target);
        List<Number[]> cells = new ArrayList<>();
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < columns; i++) {
                float weight = alignment.weights()[j][i];
                if (weight != 0) {
                    cells.add(new Number[] {i, rows - 1 - j, weight});
                }
            }
        }
        chart.addSeries("attention", alignment.source(), target, cells);
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}

package org.nmt4j.train.report;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a metrics CSV ({@link MetricsCsv}) as one PNG with two charts side by side: training loss over steps (with
 * dev loss where validated), and dev BLEU over steps. Rendering is headless (XChart on Java2D).
 */
public final class TrainingCurves {

    /** Default image width in pixels. */
    public static final int WIDTH = 1600;
    /** Default image height in pixels. */
    public static final int HEIGHT = 600;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private TrainingCurves() {
    }

    /** {@link #plot(Path, Path, int, int)} at {@link #WIDTH} × {@link #HEIGHT}. */
    public static void plot(Path metricsCsv, Path png) throws IOException {
        plot(metricsCsv, png, WIDTH, HEIGHT);
    }

    /**
     * Reads the metrics and writes the PNG (through a temporary file, so that a viewer never sees half an image).
     *
     * @throws IOException when the CSV is malformed (naming its file and line) or the PNG cannot be written
     */
    public static void plot(Path metricsCsv, Path png, int width, int height) throws IOException {
        List<MetricsCsv.Row> rows = MetricsCsv.read(metricsCsv);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            int left = width / 2;
            paint(lossChart(rows, left, height), g);
            g.translate(left, 0);
            paint(bleuChart(rows, width - left, height), g);
        } finally {
            g.dispose();
        }
        Path target = png.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            ImageIO.write(image, "png", tmp.toFile());
            Files.move(tmp, target, ATOMIC_MOVE, REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void paint(XYChart chart, Graphics2D g) {
        if (chart.getSeriesMap().isEmpty()) {
            chart.setTitle(chart.getTitle() + " (no data yet)");
        }
        chart.paint(g, chart.getWidth(), chart.getHeight());
    }

    private static XYChart lossChart(List<MetricsCsv.Row> rows, int width, int height) {
        XYChart chart = chart("Loss", "loss per target token", width, height);
        addSeries(chart, "train", rows, MetricsCsv.Row::trainLoss, SeriesMarkers.NONE);
        addSeries(chart, "dev", rows, MetricsCsv.Row::devLoss, SeriesMarkers.CIRCLE);
        return chart;
    }

    private static XYChart bleuChart(List<MetricsCsv.Row> rows, int width, int height) {
        XYChart chart = chart("Dev BLEU", "BLEU", width, height);
        addSeries(chart, "dev BLEU", rows, MetricsCsv.Row::devBleu, SeriesMarkers.CIRCLE);
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    private static XYChart chart(String title, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("step")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(5).setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** A line over steps through the rows whose value is finite; none when there are no such rows. */
    private static void addSeries(XYChart chart, String name, List<MetricsCsv.Row> rows,
            ToDoubleFunction<MetricsCsv.Row> value, Marker marker) {
        List<MetricsCsv.Row> kept = rows.stream().filter(r -> Double.isFinite(value.applyAsDouble(r))).toList();
        if (!kept.isEmpty()) {
            double[] steps = kept.stream().mapToDouble(MetricsCsv.Row::step).toArray();
            chart.addSeries(name, steps, kept.stream().mapToDouble(value).toArray()).setMarker(marker);
        }
    }
}

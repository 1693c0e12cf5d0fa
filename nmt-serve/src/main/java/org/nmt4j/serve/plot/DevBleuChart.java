package org.nmt4j.serve.plot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.nmt4j.train.report.MetricsCsv;

/** Draws dev BLEU over training time, one line per model, as a PNG with XChart. */
public final class DevBleuChart {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private DevBleuChart() {
    }

    /**
     * @param curves per model name, its validation rows ({@link MetricsCsv.Row#elapsedSeconds()},
     *               {@link MetricsCsv.Row#devBleu()}); models without rows are left out
     */
    public static void write(Map<String, List<MetricsCsv.Row>> curves, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(600).title("Dev BLEU over training time")
                .xAxisTitle("training minutes").yAxisTitle("dev BLEU (greedy)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(6);
        for (Map.Entry<String, List<MetricsCsv.Row>> curve : curves.entrySet()) {
            if (!curve.getValue().isEmpty()) {
                chart.addSeries(curve.getKey(),
                        curve.getValue().stream().mapToDouble(r -> r.elapsedSeconds() / 60).toArray(),
                        curve.getValue().stream().mapToDouble(MetricsCsv.Row::devBleu).toArray());
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.setTitle(chart.getTitle() + " (no validations)");
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}

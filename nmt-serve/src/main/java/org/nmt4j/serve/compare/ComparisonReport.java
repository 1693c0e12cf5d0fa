package org.nmt4j.serve.compare;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.nmt4j.core.eval.Bleu;
import org.nmt4j.core.eval.BootstrapResult;
import org.nmt4j.core.eval.Chrf;
import org.nmt4j.core.eval.CorpusMetric;
import org.nmt4j.core.eval.PairedBootstrap;
import org.nmt4j.core.eval.References;
import org.nmt4j.serve.plot.AttentionHeatmap;
import org.nmt4j.serve.plot.DevBleuChart;
import org.nmt4j.serve.translate.Alignment;
import org.nmt4j.train.report.MetricsCsv;

/**
 * Scores the compared models on the test set and writes the report directory: {@code report.md} and
 * {@code report.html} (the same content), {@code results.json}, {@code dev-bleu.png} and {@code heatmaps/*.png}.
 * BLEU and chrF2 are sacreBLEU's; their 95% confidence intervals and the p-values of each model against the first
 * come from one paired bootstrap test ({@code sacrebleu --paired-bs}: 1000 resamples, seed 12345).
 */
public final class ComparisonReport {

    private static final List<CorpusMetric> METRICS = List.of(new Bleu(), new Chrf());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ComparisonReport() {
    }

    /**
     * @param environment {@link RunEnvironment#describe} of this run
     * @return the Markdown report
     */
    public static String write(Path directory, List<ComparedModel> models, List<String> sources,
                               References references, ComparisonSettings settings, Map<String, String> environment)
            throws IOException {
        PairedBootstrap test = new PairedBootstrap(PairedBootstrap.DEFAULT_RESAMPLES, PairedBootstrap.DEFAULT_SEED);
        List<List<BootstrapResult>> scores = test.run(models.stream().map(m -> m.test().translations()).toList(),
                references, METRICS);
        Files.createDirectories(directory.resolve("heatmaps"));
        Map<String, List<MetricsCsv.Row>> curves = new LinkedHashMap<>();
        models.forEach(m -> curves.put(m.name(), m.training().devCurve()));
        DevBleuChart.write(curves, directory.resolve("dev-bleu.png"));
        List<String> heatmaps = new ArrayList<>();
        for (int line : settings.heatmapLines()) {
            for (ComparedModel m : models) {
                Alignment alignment = m.test().alignments().get(line);
                String file = "heatmaps/line" + (line + 1) + "-" + m.name() + ".png";
                if (alignment != null && !alignment.target().isEmpty()) {
                    AttentionHeatmap.write(alignment, m.name() + ": " + m.test().translations().get(line),
                            directory.resolve(file));
                    heatmaps.add(file);
                }
            }
        }
        String markdown = markdown(models, scores, sources, references, test, settings, environment);
        Files.writeString(directory.resolve("report.md"), markdown, UTF_8);
        Files.writeString(directory.resolve("report.html"), html(markdown), UTF_8);
        Files.writeString(directory.resolve("results.json"),
                JSON.writeValueAsString(json(models, scores, references, test, settings, environment)), UTF_8);
        return markdown;
    }

    private static String markdown(List<ComparedModel> models, List<List<BootstrapResult>> scores,
                                   List<String> sources, References references, PairedBootstrap test,
                                   ComparisonSettings settings, Map<String, String> environment) {
        StringBuilder md = new StringBuilder();
        md.append("# Attention comparison\n\n");
        md.append("Test set `").append(settings.testSource()).append("` → `").append(settings.testReference())
                .append("` (").append(references.size()).append(" sentences), translated with ")
                .append(settings.search()).append(" from each model's `").append(settings.checkpoint())
                .append("` checkpoint. Training budget per model: ").append(settings.budget()).append(".\n\n");
        md.append("| model | attention | seed | BLEU | 95% CI | p | chrF2 | 95% CI | p | updates | train min "
                + "| train tok/s | decode sent/s | params | zero weights | entropy | spans/token |\n");
        md.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (int s = 0; s < models.size(); s++) {
            ComparedModel m = models.get(s);
            TrainingFacts t = m.training();
            AttentionStatistics a = m.test().attention();
            md.append("| ").append(m.name()).append(" | ").append(t.attention()).append(" | ").append(t.seed());
            for (BootstrapResult r : scores.get(s)) {
                md.append(" | ").append(fixed(r.score(), 2)).append(" | ± ").append(fixed(r.ci(), 2)).append(" | ")
                        .append(r.isBaseline() ? "baseline" : fixed(r.pValue(), 4) + (r.pValue() <= 0.05 ? "*" : ""));
            }
            md.append(" | ").append(t.updates()).append(" | ").append(fixed(t.trainingMinutes(), 1)).append(" | ")
                    .append(fixed(t.tokensPerSecond(), 0)).append(" | ")
                    .append(fixed(m.test().sentencesPerSecond(), 1)).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", t.parameters())).append(" | ")
                    .append(fixed(100 * a.zeroFraction(), 1)).append("% | ").append(fixed(a.meanEntropy(), 3))
                    .append(" | ").append(fixed(a.meanSpans(), 2)).append(" |\n");
        }
        md.append("\n");
        md.append(seedSummary(models, scores));
        md.append("- BLEU `").append(test.signature(METRICS.get(0), references)).append("`\n");
        md.append("- chrF2 `").append(test.signature(METRICS.get(1), references)).append("`\n");
        md.append("- **95% CI**: half-width of the paired bootstrap interval (1000 resamples). **p**: paired "
                + "bootstrap p-value against the first model (`sacrebleu --paired-bs`); * marks p ≤ 0.05.\n");
        md.append("- **train tok/s**: median target tokens per second over the training log (validation "
                + "excluded); **train min** includes validation. **decode sent/s**: the whole test set, one "
                + "process, model loading excluded.\n");
        md.append("- Attention statistics over every target piece of the test translations (rows include the "
                + "source eos): **zero weights**, the share of weights exactly 0; **entropy**, the mean entropy "
                + "of a row in nats; **spans/token**, the mean number of runs of consecutive nonzero weights in "
                + "a row.\n\n");
        md.append("## Dev BLEU over training time\n\n![dev BLEU over training time](dev-bleu.png)\n\n");
        if (!settings.heatmapLines().isEmpty()) {
            md.append("## Attention heatmaps\n\nWhite cells are weights of exactly 0.\n\n");
            for (int line : settings.heatmapLines()) {
                md.append("### Test line ").append(line + 1).append("\n\n");
                md.append("> ").append(sources.get(line)).append("\n>\n> ").append(references.get(line).get(0))
                        .append("\n\n");
                for (ComparedModel m : models) {
                    md.append("![").append(m.name()).append("](heatmaps/line").append(line + 1).append('-')
                            .append(m.name()).append(".png)\n");
                }
                md.append("\n");
            }
        }
        md.append("## Reproduce\n\n```\n").append(settings.command()).append("\n```\n\n");
        md.append("The command reuses finished models and continues interrupted ones; delete `models/` to train "
                + "again. Each model's resolved configuration is in `configs/NAME.yaml` (and in its model "
                + "directory), its test translation in `outputs/NAME.txt`.\n\n");
        md.append("| | |\n|---|---|\n");
        environment.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|"))
                .append(" |\n"));
        return md.toString();
    }

    /** Mean and standard deviation over seeds, per attention, when some attention was trained with several seeds. */
    private static String seedSummary(List<ComparedModel> models, List<List<BootstrapResult>> scores) {
        Map<String, List<Integer>> byAttention = new LinkedHashMap<>();
        for (int s = 0; s < models.size(); s++) {
            byAttention.computeIfAbsent(models.get(s).training().attention(), k -> new ArrayList<>()).add(s);
        }
        if (byAttention.values().stream().allMatch(list -> list.size() == 1)) {
            return "";
        }
        StringBuilder md = new StringBuilder("| attention | models | BLEU mean ± sd | chrF2 mean ± sd |\n"
                + "|---|--:|--:|--:|\n");
        byAttention.forEach((attention, rows) -> {
            md.append("| ").append(attention).append(" | ").append(rows.size());
            for (int metric = 0; metric < METRICS.size(); metric++) {
                final int k = metric;
                double[] values = rows.stream().mapToDouble(s -> scores.get(s).get(k).score()).toArray();
                double mean = Arrays.stream(values).average().orElse(Double.NaN);
                double sd = values.length < 2 ? 0 : Math.sqrt(Arrays.stream(values)
                        .map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
                md.append(" | ").append(fixed(mean, 2)).append(" ± ").append(fixed(sd, 2));
            }
            md.append(" |\n");
        });
        return md.append("\n").toString();
    }

    private static String html(String markdown) {
        List<org.commonmark.Extension> extensions = List.of(TablesExtension.create());
        String body = HtmlRenderer.builder().extensions(extensions).build()
                .render(Parser.builder().extensions(extensions).build().parse(markdown));
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Attention comparison</title>\n"
                + "<style>body{font-family:sans-serif;max-width:100em;margin:2em auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em}"
                + "img{max-width:100%}</style></head><body>\n" + body + "</body></html>\n";
    }

    private static ObjectNode json(List<ComparedModel> models, List<List<BootstrapResult>> scores,
                                   References references, PairedBootstrap test, ComparisonSettings settings,
                                   Map<String, String> environment) {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", settings.command());
        root.put("budget", settings.budget());
        root.put("test_source", settings.testSource().toString());
        root.put("test_reference", settings.testReference().toString());
        root.put("sentences", references.size());
        root.put("search", settings.search());
        root.put("checkpoint", settings.checkpoint());
        ObjectNode signatures = root.putObject("signatures");
        METRICS.forEach(m -> signatures.put(m.name(), test.signature(m, references)));
        ArrayNode rows = root.putArray("models");
        for (int s = 0; s < models.size(); s++) {
            ComparedModel m = models.get(s);
            ObjectNode row = rows.addObject();
            row.put("name", m.name());
            row.put("model_dir", m.model().toString());
            row.put("attention", m.training().attention());
            row.put("seed", m.training().seed());
            for (int k = 0; k < METRICS.size(); k++) {
                BootstrapResult r = scores.get(s).get(k);
                ObjectNode metric = row.putObject(METRICS.get(k).name());
                metric.put("score", r.score());
                metric.put("mean", r.mean());
                metric.put("ci", r.ci());
                if (!r.isBaseline()) {
                    metric.put("p_value", r.pValue());
                }
            }
            row.put("updates", m.training().updates());
            row.put("training_minutes", m.training().trainingMinutes());
            row.put("train_target_tokens_per_s", m.training().tokensPerSecond());
            row.put("decode_seconds", m.test().seconds());
            row.put("decode_sentences_per_s", m.test().sentencesPerSecond());
            row.put("parameters", m.training().parameters());
            row.put("attention_zero_fraction", m.test().attention().zeroFraction());
            row.put("attention_mean_entropy", m.test().attention().meanEntropy());
            row.put("attention_mean_spans", m.test().attention().meanSpans());
        }
        ObjectNode env = root.putObject("environment");
        environment.forEach(env::put);
        return root;
    }

    private static String fixed(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "–";
    }
}

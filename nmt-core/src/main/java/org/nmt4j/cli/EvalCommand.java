package org.nmt4j.cli;

import static org.nmt4j.cli.OptionValues.intOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nmt4j.core.eval.Bleu;
import org.nmt4j.core.eval.BootstrapResult;
import org.nmt4j.core.eval.Chrf;
import org.nmt4j.core.eval.CorpusMetric;
import org.nmt4j.core.eval.MetricScore;
import org.nmt4j.core.eval.PairedBootstrap;
import org.nmt4j.core.eval.PyText;
import org.nmt4j.core.eval.References;

/**
 * {@code nmt eval}: sacreBLEU-compatible BLEU and chrF2 of one or more system outputs, and with
 * several outputs the paired bootstrap test of each against the first ({@code sacrebleu
 * --paired-bs}).
 */
public final class EvalCommand implements Command {

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String description() {
        return "BLEU and chrF2 as sacreBLEU scores them; paired bootstrap with several outputs";
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("r").longOpt("ref").hasArg().argName("FILE").required()
                .desc("reference file, one segment per line (repeat for several references)").build());
        options.addOption(Option.builder("i").longOpt("hyp").hasArg().argName("FILE").required()
                .desc("system output, aligned with the references (repeat to compare systems; the first is the baseline)").build());
        options.addOption(Option.builder().longOpt("json").desc("print JSON instead of text").build());
        options.addOption(Option.builder("w").longOpt("width").hasArg().argName("N")
                .desc("decimals of printed scores (default 2)").build());
        options.addOption(Option.builder().longOpt("paired-bs-n").hasArg().argName("N")
                .desc("bootstrap resamples (default " + PairedBootstrap.DEFAULT_RESAMPLES + ")").build());
        options.addOption(Option.builder().longOpt("seed").hasArg().argName("N")
                .desc("seed of the resampling, as SACREBLEU_SEED (default " + PairedBootstrap.DEFAULT_SEED + ")").build());
        return options;
    }

    @Override
    public int run(CommandLine line) throws IOException {
        PrintStream out = System.out;
        int width = intOption(line, "width", 2, 0);
        int resamples = intOption(line, "paired-bs-n", PairedBootstrap.DEFAULT_RESAMPLES, 1);
        long seed = intOption(line, "seed", (int) PairedBootstrap.DEFAULT_SEED, 0);
        List<String> refFiles = List.of(line.getOptionValues("ref"));
        List<String> hypFiles = List.of(line.getOptionValues("hyp"));

        List<List<String>> refStreams = new ArrayList<>();
        for (String f : refFiles) {
            List<String> lines = TextFile.readLines(Path.of(f));
            if (!refStreams.isEmpty() && lines.size() != refStreams.get(0).size()) {
                throw new IOException(f + " has " + lines.size() + " lines but " + refFiles.get(0) + " has "
                        + refStreams.get(0).size());
            }
            refStreams.add(lines);
        }
        References references;
        try {
            references = References.of(refStreams);
        } catch (IllegalArgumentException e) {
            throw new IOException(String.join(", ", refFiles) + ": " + e.getMessage(), e);
        }
        List<List<String>> systems = new ArrayList<>();
        for (String f : hypFiles) {
            List<String> lines = TextFile.readLines(Path.of(f));
            if (lines.size() != references.size()) {
                throw new IOException(f + " has " + lines.size() + " lines but " + refFiles.get(0) + " has "
                        + references.size());
            }
            systems.add(lines);
        }
        List<CorpusMetric> metrics = List.of(new Bleu(), new Chrf());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (systems.size() == 1) {
            List<MetricScore> scores = new ArrayList<>();
            for (CorpusMetric m : metrics) {
                scores.add(m.corpusScore(systems.get(0), references));
            }
            if (line.hasOption("json")) {
                ObjectNode root = json.createObjectNode();
                root.put("hyp", hypFiles.get(0));
                root.set("refs", json.valueToTree(refFiles));
                root.set("metrics", metricsJson(json, metrics, scores, references));
                out.println(json.writeValueAsString(root));
            } else {
                printAligned(out, metrics, scores, references, width);
            }
            return 0;
        }
        PairedBootstrap test = new PairedBootstrap(resamples, seed);
        List<List<BootstrapResult>> results = test.run(systems, references, metrics);
        if (line.hasOption("json")) {
            out.println(json.writeValueAsString(bootstrapJson(json, test, metrics, references, hypFiles, refFiles, results)));
        } else {
            printTable(out, test, metrics, references, hypFiles, results, width);
        }
        return 0;
    }

    /** Lines {@code NAME|SIGNATURE = SCORE ...} right-aligned on '=' as sacreBLEU prints them. */
    private static void printAligned(PrintStream out, List<CorpusMetric> metrics, List<MetricScore> scores, References refs, int width) {
        List<String> lines = new ArrayList<>();
        for (int m = 0; m < metrics.size(); m++) {
            MetricScore s = scores.get(m);
            String left = s.name() + "|" + metrics.get(m).signature(refs);
            String right = PyText.fixed(s.score(), width) + (s.verbose().isEmpty() ? "" : " " + s.verbose());
            lines.add(left + "\u0000" + right);
        }
        int w = lines.stream().mapToInt(l -> l.indexOf('\u0000')).max().orElse(0);
        for (String l : lines) {
            int cut = l.indexOf('\u0000');
            out.println(" ".repeat(w - cut) + l.substring(0, cut) + " = " + l.substring(cut + 1));
        }
    }

    private static ArrayNode metricsJson(ObjectMapper json, List<CorpusMetric> metrics, List<MetricScore> scores,
                                         References refs) {
        ArrayNode array = json.createArrayNode();
        for (int m = 0; m < metrics.size(); m++) {
            ObjectNode node = array.addObject();
            node.put("name", scores.get(m).name());
            node.put("score", scores.get(m).score());
            node.put("signature", metrics.get(m).signature(refs));
            if (!scores.get(m).verbose().isEmpty()) {
                node.put("verbose_score", scores.get(m).verbose());
            }
        }
        return array;
    }

    private static ObjectNode bootstrapJson(ObjectMapper json, PairedBootstrap test, List<CorpusMetric> metrics,
                                            References refs, List<String> hypFiles, List<String> refFiles,
                                            List<List<BootstrapResult>> results) {
        ObjectNode root = json.createObjectNode();
        root.set("refs", json.valueToTree(refFiles));
        ObjectNode bs = root.putObject("paired_bootstrap");
        bs.put("resamples", test.resamples());
        bs.put("seed", test.seed());
        bs.put("baseline", hypFiles.get(0));
        ObjectNode signatures = root.putObject("signatures");
        for (CorpusMetric m : metrics) {
            signatures.put(m.name(), test.signature(m, refs));
        }
        ArrayNode systems = root.putArray("systems");
        for (int s = 0; s < hypFiles.size(); s++) {
            ObjectNode sys = systems.addObject();
            sys.put("system", hypFiles.get(s));
            sys.put("baseline", s == 0);
            for (int m = 0; m < metrics.size(); m++) {
                BootstrapResult r = results.get(s).get(m);
                ObjectNode node = sys.putObject(metrics.get(m).name());
                node.put("score", r.score());
                node.put("mean", r.mean());
                node.put("ci", r.ci());
                if (!r.isBaseline()) {
                    node.put("p_value", r.pValue());
                }
            }
        }
        return root;
    }

    private static void printTable(PrintStream out, PairedBootstrap test, List<CorpusMetric> metrics, References refs, List<String> hypFiles,
                            List<List<BootstrapResult>> results, int width) {
        List<String> headers = new ArrayList<>();
        headers.add("System");
        for (CorpusMetric m : metrics) {
            headers.add(m.name() + " (μ ± 95% CI)");
        }
        ResultsTable table = new ResultsTable(headers);
        for (int s = 0; s < hypFiles.size(); s++) {
            List<String> cells = new ArrayList<>();
            cells.add(s == 0 ? "Baseline: " + hypFiles.get(0) : hypFiles.get(s));
            for (BootstrapResult r : results.get(s)) {
                String cell = PyText.fixed(r.score(), width) + " (" + PyText.fixed(r.mean(), width) + " ± "
                        + PyText.fixed(r.ci(), width) + ")";
                if (!r.isBaseline()) {
                    cell += "\n(p = " + PyText.fixed(r.pValue(), 4) + ")" + (r.pValue() > 0.05 ? "" : "*");
                }
                cells.add(cell);
            }
            table.addRow(cells);
        }
        out.print(table.render());
        out.println();
        String title = "Paired bootstrap resampling test with " + test.resamples() + " resampling trials";
        out.println("-".repeat(title.length()));
        out.println(title);
        out.println("-".repeat(title.length()));
        out.println(" - Each system is pairwise compared to Baseline: " + hypFiles.get(0) + ".");
        out.println("   Actual system score / bootstrap estimated true mean / 95% CI are provided for each metric.");
        out.println(" - p is roughly the probability of an absolute score difference at least as large as the");
        out.println("   observed one arising by chance if system and baseline came from the same process;");
        out.println("   p-values <= 0.05 are marked with \"*\". Significance says \"different\", not \"better\".");
        out.println();
        out.println("-----------------");
        out.println("Metric signatures");
        out.println("-----------------");
        for (CorpusMetric m : metrics) {
            out.println(" - " + String.format("%-10s", m.name()) + " " + test.signature(m, refs));
        }
    }
}

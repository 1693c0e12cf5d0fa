package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.nmt4j.cli.OptionValues.doubleOption;
import static org.nmt4j.cli.OptionValues.intOption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nmt4j.attention.Normalizers;
import org.nmt4j.cli.Command;
import org.nmt4j.cli.TextFile;
import org.nmt4j.cli.UsageException;
import org.nmt4j.core.eval.References;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.compare.ComparedModel;
import org.nmt4j.serve.compare.ComparisonReport;
import org.nmt4j.serve.compare.ComparisonSettings;
import org.nmt4j.serve.compare.ExampleLines;
import org.nmt4j.serve.compare.RunEnvironment;
import org.nmt4j.serve.compare.TestSetTranslation;
import org.nmt4j.serve.compare.TrainingFacts;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.loop.BudgetedTraining;
import org.nmt4j.train.loop.TrainingBudget;

/**
 * {@code nmt compare}: trains one model per attention variant (and seed) with everything else identical, translates
 * the test set with each, and writes a report directory ({@link ComparisonReport}). Models live in
 * {@code OUT/models/NAME}: finished ones are reused and interrupted ones continued, so running the same command
 * again resumes a comparison. {@code --models} compares existing model directories without training.
 */
public final class CompareCommand implements Command {

    /** Test lines drawn as heatmaps by default. */
    private static final int DEFAULT_HEATMAPS = 2;

    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String description() {
        return "compare attention variants: train each, translate the test set, write a report";
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("c").longOpt("config").hasArg().argName("FILE")
                .desc("training configuration shared by all models (default: the shipped defaults)").build());
        options.addOption(Option.builder().longOpt("set").hasArgs().argName("KEY=VALUE")
                .desc("override a config value for all models (repeatable)").build());
        options.addOption(Option.builder().longOpt("attention").hasArg().argName("LIST")
                .desc("comma-separated normalizers to compare, the first is the baseline (default "
                        + String.join(",", Normalizers.NAMES) + ")").build());
        options.addOption(Option.builder().longOpt("budget-minutes").hasArg().argName("M")
                .desc("training minutes per model (default: train.max_minutes of the config)").build());
        options.addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                .desc("training updates per model (default: train.max_steps of the config)").build());
        options.addOption(Option.builder().longOpt("seeds").hasArg().argName("LIST")
                .desc("comma-separated seeds; one model per variant and seed (default: train.seed)").build());
        options.addOption(Option.builder().longOpt("models").hasArg().argName("DIR,DIR,...")
                .desc("compare these existing model directories instead of training").build());
        options.addOption(Option.builder("o").longOpt("out").hasArg().argName("DIR")
                .desc("report directory; trained models go to DIR/models (default compare-report)").build());
        options.addOption(Option.builder().longOpt("test-src").hasArg().argName("FILE")
                .desc("test set source text (default data/bible/test.es)").build());
        options.addOption(Option.builder().longOpt("test-ref").hasArg().argName("FILE")
                .desc("test set reference translations (default data/bible/test.en)").build());
        options.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("NAME")
                .desc("checkpoint of each model that translates: best, last or averaged (default best)").build());
        options.addOption(Option.builder().longOpt("beam").hasArg().argName("K")
                .desc("beam size of the test translation (default 5)").build());
        options.addOption(Option.builder().longOpt("batch-size").hasArg().argName("N")
                .desc("sentences per translation batch (default " + TranslateCommand.DEFAULT_BATCH_SIZE + ")")
                .build());
        options.addOption(Option.builder().longOpt("heatmap-lines").hasArg().argName("LIST")
                .desc("1-based test lines drawn as attention heatmaps, or 'none' (default: the first "
                        + DEFAULT_HEATMAPS + " of " + ExampleLines.MIN_WORDS + "-" + ExampleLines.MAX_WORDS + " words)")
                .build());
        return options;
    }

    /** A model to compare: its name, directory, and the configuration to train it with (null: use as is). */
    private record Planned(String name, ModelDirectory directory, TrainConfig config) {
    }

    @Override
    public int run(CommandLine line) throws IOException {
        Path out = Path.of(line.getOptionValue("out", "compare-report"));
        Path testSource = Path.of(line.getOptionValue("test-src", "data/bible/test.es"));
        Path testReference = Path.of(line.getOptionValue("test-ref", "data/bible/test.en"));
        List<String> sources = TextFile.readLines(testSource);
        List<String> referenceLines = TextFile.readLines(testReference);
        if (sources.size() != referenceLines.size() || sources.isEmpty()) {
            throw new IllegalArgumentException("the test set must have as many source as reference lines, and some: "
                    + testSource + " has " + sources.size() + ", " + testReference + " has " + referenceLines.size());
        }
        String checkpoint = line.getOptionValue("checkpoint", "best");
        if (!TranslationModel.CHECKPOINTS.contains(checkpoint)) {
            throw new UsageException("--checkpoint must be one of " + TranslationModel.CHECKPOINTS + ": " + checkpoint);
        }
        int beam = intOption(line, "beam", 5, 1);
        int batchSize = intOption(line, "batch-size", TranslateCommand.DEFAULT_BATCH_SIZE, 1);
        List<Integer> heatmapLines = heatmapLines(line, sources);
        TrainingBudget budget = null;
        List<Planned> plan;
        if (line.hasOption("models")) {
            for (String trainingOption : List.of("config", "set", "attention", "budget-minutes", "steps", "seeds")) {
                if (line.hasOption(trainingOption)) {
                    throw new UsageException("--models compares trained models: --" + trainingOption
                            + " does not apply");
                }
            }
            plan = existingModels(line.getOptionValue("models"));
        } else {
            TrainConfig config;
            try {
                config = TrainConfig.load(line.hasOption("config") ? Path.of(line.getOptionValue("config")) : null,
                        line.hasOption("set") ? List.of(line.getOptionValues("set")) : List.of());
                budget = new TrainingBudget(doubleOption(line, "budget-minutes", config.train().maxMinutes()),
                        intOption(line, "steps", config.train().maxSteps(), 1));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            plan = newModels(config, out.resolve("models"), list(line, "attention", String.join(",", Normalizers.NAMES)),
                    list(line, "seeds", Long.toString(config.train().seed())));
        }

        Files.createDirectories(out.resolve("configs"));
        Files.createDirectories(out.resolve("outputs"));
        if (budget != null) {
            for (int i = 0; i < plan.size(); i++) {
                Planned p = plan.get(i);
                System.out.printf("%n== [%d/%d] %s: training for %s in %s ==%n", i + 1, plan.size(), p.name(),
                        budget.describe(), p.directory().root());
                BudgetedTraining.Outcome outcome = BudgetedTraining.run(p.config(), p.directory(), budget, System.out);
                if (outcome == BudgetedTraining.Outcome.INTERRUPTED) {
                    System.err.println("nmt compare: interrupted while training " + p.name() + "; run the same "
                            + "command again to continue where it stopped");
                    return 130;
                }
                if (outcome == BudgetedTraining.Outcome.REUSED) {
                    System.out.println("already trained: reusing it");
                }
            }
        }
        List<ComparedModel> models = new ArrayList<>();
        LinkedHashSet<Integer> keep = new LinkedHashSet<>(heatmapLines);
        BeamOptions search = BeamOptions.defaults(beam, true);
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            System.out.printf("%n== [%d/%d] %s: translating %s (%d sentences, beam %d) ==%n", i + 1, plan.size(),
                    p.name(), testSource, sources.size(), beam);
            Files.copy(p.directory().config(), out.resolve("configs").resolve(p.name() + ".yaml"),
                    StandardCopyOption.REPLACE_EXISTING);
            TestSetTranslation.Result result;
            try (TranslationModel model = TranslationModel.load(p.directory(), checkpoint)) {
                result = TestSetTranslation.run(model, search, batchSize, sources, keep, System.out);
            }
            Files.write(out.resolve("outputs").resolve(p.name() + ".txt"), result.translations(), UTF_8);
            System.out.printf("%.1f sentences/s%n", result.sentencesPerSecond());
            models.add(new ComparedModel(p.name(), p.directory().root(),
                    TrainingFacts.read(p.directory(), TranslationModel.checkpointFile(p.directory(), checkpoint)),
                    result));
        }
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("test source", testSource);
        files.put("test reference", testReference);
        String markdown = ComparisonReport.write(out, models, sources, References.single(referenceLines),
                new ComparisonSettings(commandLine(line), budget == null ? "existing models" : budget.describe(),
                        testSource, testReference, "beam " + beam + ", GNMT length penalty α = 0.6, at most 2·|x| + 10 "
                        + "subwords", checkpoint, heatmapLines),
                RunEnvironment.describe(sourceTree(), files));
        System.out.println();
        System.out.println(markdown.lines().filter(l -> l.startsWith("|")).takeWhile(l -> !l.startsWith("| |"))
                .collect(Collectors.joining("\n")));
        System.out.println("\nreport: " + out.resolve("report.md") + " (and report.html, results.json, plots)");
        return 0;
    }

    private static List<Planned> newModels(TrainConfig config, Path modelsDir, List<String> attentions,
                                           List<String> seeds) throws IOException {
        List<Planned> plan = new ArrayList<>();
        for (String attention : attentions) {
            if (!Normalizers.NAMES.contains(attention)) {
                throw new UsageException("--attention: unknown normalizer '" + attention + "'; known: "
                        + Normalizers.NAMES);
            }
            for (String seed : seeds) {
                long value;
                try {
                    value = Long.parseLong(seed);
                } catch (NumberFormatException e) {
                    throw new UsageException("--seeds must be integers: " + seed);
                }
                String name = seeds.size() == 1 ? attention : attention + "-seed" + value;
                plan.add(new Planned(name, new ModelDirectory(modelsDir.resolve(name)),
                        config.with(List.of("model.attention=" + attention, "train.seed=" + value))));
            }
        }
        if (plan.stream().map(Planned::name).distinct().count() != plan.size()) {
            throw new UsageException("--attention and --seeds must not repeat a value");
        }
        return plan;
    }

    private static List<Planned> existingModels(String value) {
        List<Planned> plan = new ArrayList<>();
        for (String dir : value.split(",")) {
            Path root = Path.of(dir.strip());
            if (!Files.isRegularFile(new ModelDirectory(root).config())) {
                throw new IllegalArgumentException("--models: " + root + " is not a model directory (it has no "
                        + "config.yaml)");
            }
            String name = root.toAbsolutePath().normalize().getFileName().toString();
            if (plan.stream().anyMatch(p -> p.name().equals(name))) {
                throw new UsageException("--models: two model directories are named " + name);
            }
            plan.add(new Planned(name, new ModelDirectory(root), null));
        }
        return plan;
    }

    private static List<String> list(CommandLine line, String option, String defaultValue) {
        List<String> values = new ArrayList<>();
        for (String v : line.getOptionValue(option, defaultValue).split(",")) {
            if (!v.isBlank()) {
                values.add(v.strip());
            }
        }
        if (values.isEmpty()) {
            throw new UsageException("--" + option + " needs at least one value");
        }
        return values;
    }

    /** The 0-based lines to draw: from {@code --heatmap-lines}, else the first short-enough ones. */
    private static List<Integer> heatmapLines(CommandLine line, List<String> sources) {
        if (line.hasOption("heatmap-lines")) {
            if (line.getOptionValue("heatmap-lines").equals("none")) {
                return List.of();
            }
            List<Integer> chosen = new ArrayList<>();
            for (String v : list(line, "heatmap-lines", "")) {
                int number;
                try {
                    number = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new UsageException("--heatmap-lines must be line numbers: " + v);
                }
                if (number < 1 || number > sources.size()) {
                    throw new UsageException("--heatmap-lines: the test set has lines 1 to " + sources.size()
                            + ", not " + number);
                }
                chosen.add(number - 1);
            }
            return chosen;
        }
        return ExampleLines.choose(sources, DEFAULT_HEATMAPS);
    }

    /** The command as typed, rebuilt from the parsed options. */
    private static String commandLine(CommandLine line) {
        StringBuilder command = new StringBuilder("./nmt compare");
        for (Option option : line.getOptions()) {
            command.append(" --").append(option.getLongOpt());
            if (option.hasArg()) {
                for (String value : option.getValues()) {
                    command.append(' ').append(value.matches("[\\w.,/=:+-]+") ? value : "'" + value + "'");
                }
            }
        }
        return command.toString();
    }

    /** The nmt4j checkout the launcher runs from ({@code -Dnmt.home}), or the working directory. */
    static Path sourceTree() {
        return Path.of(System.getProperty("nmt.home", "."));
    }
}

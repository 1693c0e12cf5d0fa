package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.nmt4j.cli.OptionValues.doubleOption;
import static org.nmt4j.cli.OptionValues.intOption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nmt4j.cli.Command;
import org.nmt4j.cli.TextFile;
import org.nmt4j.cli.UsageException;
import org.nmt4j.core.eval.Bleu;
import org.nmt4j.core.eval.Chrf;
import org.nmt4j.core.eval.CorpusMetric;
import org.nmt4j.core.eval.References;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.compare.ExampleLines;
import org.nmt4j.serve.compare.TestSetTranslation;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.loop.BudgetedTraining;
import org.nmt4j.train.loop.TrainingBudget;

/**
 * {@code nmt quickstart}: the first run, end to end on the default corpus. Prepares the Bible es→en data and its
 * SentencePiece model with the corpus scripts (both do nothing when their outputs exist), trains a model with the
 * default configuration for a bounded time (continuing it when run again), translates the test set, and prints
 * BLEU and chrF with a few translations next to their references.
 */
public final class QuickstartCommand implements Command {

    private static final int STAGES = 5;
    /** Long enough for a usable model: the default config reaches dev BLEU 12 after about 21 minutes. */
    private static final int DEFAULT_MINUTES = 30;

    @Override
    public String name() {
        return "quickstart";
    }

    @Override
    public String description() {
        return "first run: prepare the Bible es-en corpus, train 30 minutes, translate, print BLEU";
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder().longOpt("data").hasArg().argName("DIR")
                .desc("corpus directory: {train,dev,test}.{es,en} and spm/spm.model, made when missing "
                        + "(default data/bible)").build());
        options.addOption(Option.builder("m").longOpt("model").hasArg().argName("DIR")
                .desc("model directory (default runs/quickstart); run again to continue or reuse it").build());
        options.addOption(Option.builder().longOpt("minutes").hasArg().argName("M")
                .desc("training minutes (default " + DEFAULT_MINUTES + ")").build());
        options.addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                .desc("stop training after N updates (default: no update limit)").build());
        options.addOption(Option.builder().longOpt("set").hasArgs().argName("KEY=VALUE")
                .desc("override a training config value (repeatable)").build());
        options.addOption(Option.builder().longOpt("beam").hasArg().argName("K")
                .desc("beam size of the test translation (default 5)").build());
        options.addOption(Option.builder().longOpt("examples").hasArg().argName("N")
                .desc("translations printed next to their references (default 3)").build());
        return options;
    }

    @Override
    public int run(CommandLine line) throws IOException, InterruptedException {
        Path data = Path.of(line.getOptionValue("data", "data/bible"));
        ModelDirectory model = new ModelDirectory(Path.of(line.getOptionValue("model", "runs/quickstart")));
        int beam = intOption(line, "beam", 5, 1);
        int examples = intOption(line, "examples", 3, 0);
        TrainingBudget budget;
        TrainConfig config;
        try {
            budget = new TrainingBudget(doubleOption(line, "minutes", line.hasOption("steps") ? 0 : DEFAULT_MINUTES),
                    intOption(line, "steps", 0, 1));
            List<String> overrides = new ArrayList<>(List.of("data.train_source=" + data.resolve("train.es"),
                    "data.train_target=" + data.resolve("train.en"), "data.dev_source=" + data.resolve("dev.es"),
                    "data.dev_target=" + data.resolve("dev.en"), "data.source_spm=" + data.resolve("spm/spm.model"),
                    "data.target_spm=" + data.resolve("spm/spm.model")));
            if (line.hasOption("set")) {
                overrides.addAll(List.of(line.getOptionValues("set")));
            }
            config = TrainConfig.load(null, overrides);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path scripts = CompareCommand.sourceTree().resolve("corpora-scripts");

        stage(1, "preparing the Bible es-en corpus in " + data);
        script(scripts.resolve("prepare-bible-es-en.sh"), data.toString());
        stage(2, "training the SentencePiece model " + data.resolve("spm/spm.model"));
        script(scripts.resolve("train-spm.sh"), "--out", data.resolve("spm").toString(), "--src",
                data.resolve("train.es").toString(), "--tgt", data.resolve("train.en").toString());
        stage(3, "training a " + config.model().attention() + "-attention model for " + budget.describe() + " in "
                + model.root() + " (Ctrl-C stops and saves; run again to continue)");
        BudgetedTraining.Outcome outcome = BudgetedTraining.run(config, model, budget, System.out);
        if (outcome == BudgetedTraining.Outcome.INTERRUPTED) {
            System.err.println("nmt quickstart: interrupted; run the same command again to continue training");
            return 130;
        }
        if (outcome == BudgetedTraining.Outcome.REUSED) {
            System.out.println("already trained for " + budget.describe() + ": reusing " + model.root());
        }

        Path testSource = data.resolve("test.es");
        Path testReference = data.resolve("test.en");
        List<String> sources = TextFile.readLines(testSource);
        References references = References.single(TextFile.readLines(testReference));
        stage(4, "translating " + testSource + " (" + sources.size() + " sentences, beam " + beam + ")");
        TestSetTranslation.Result result;
        try (TranslationModel translation = TranslationModel.load(model, "best")) {
            result = TestSetTranslation.run(translation, BeamOptions.defaults(beam, false),
                    TranslateCommand.DEFAULT_BATCH_SIZE, sources, Set.of(), System.out);
        }
        Path hypotheses = model.root().resolve("test.hyp.en");
        Files.write(hypotheses, result.translations(), UTF_8);
        System.out.printf(Locale.ROOT, "%.1f sentences/s; translations in %s%n", result.sentencesPerSecond(),
                hypotheses);

        stage(5, "scoring against " + testReference);
        for (int i : ExampleLines.choose(sources, examples)) {
            System.out.printf("%n  source:      %s%n  reference:   %s%n  translation: %s%n", sources.get(i),
                    references.get(i).get(0), result.translations().get(i));
        }
        System.out.println();
        for (CorpusMetric metric : List.of(new Bleu(), new Chrf())) {
            System.out.println(metric.corpusScore(result.translations(), references).format(2) + "   ("
                    + metric.signature(references) + ")");
        }
        System.out.println("\nNext: ./nmt translate -m " + model.root() + " -i FILE, ./nmt serve -m " + model.root()
                + ", ./nmt compare (see README.md)");
        return 0;
    }

    private static void stage(int number, String what) {
        System.out.printf("%n== [%d/%d] %s ==%n", number, STAGES, what);
    }

    /** Runs a corpus script with bash, its output going to ours; fails with its exit code. */
    private static void script(Path script, String... args) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException(script + " not found: run nmt from an nmt4j checkout (./nmt sets "
                    + "-Dnmt.home)");
        }
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(script.getFileName() + " failed with exit code " + exit + " (its messages are above)");
        }
    }
}

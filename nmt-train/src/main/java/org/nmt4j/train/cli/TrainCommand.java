package org.nmt4j.train.cli;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nmt4j.cli.Command;
import org.nmt4j.cli.OptionValues;
import org.nmt4j.cli.UsageException;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.loop.DataParallelOptions;
import org.nmt4j.train.loop.DataParallelTraining;
import org.nmt4j.train.loop.StopOnSignal;
import org.nmt4j.train.loop.Trainer;

/**
 * {@code nmt train -c config.yaml -m MODEL_DIR [--set key=value …] [--resume]}: trains an encoder-decoder,
 * or continues one. Ctrl-C stops after the current update, validates and saves, so {@code --resume} can go on.
 * With {@code --spark-master URL} it trains data-parallel on Apache Spark through the optional nmt-spark module
 * ({@link DataParallelTraining}).
 */
public final class TrainCommand implements Command {

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String description() {
        return "train a translation model (or --resume one)";
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("c").longOpt("config").hasArg().argName("FILE")
                .desc("YAML configuration; values not given come from the defaults (--print-config shows them)")
                .build());
        options.addOption(Option.builder("m").longOpt("model").hasArg().argName("DIR").required()
                .desc("model directory to create (or to continue with --resume)").build());
        options.addOption(Option.builder().longOpt("set").hasArgs().argName("KEY=VALUE")
                .desc("override a config value, e.g. --set model.attention=struct-l2 (repeatable)").build());
        options.addOption(Option.builder().longOpt("resume")
                .desc("continue from MODEL_DIR/last.zip with the saved config; only train.* may be --set")
                .build());
        options.addOption(Option.builder().longOpt("print-config")
                .desc("print the resolved configuration and exit").build());
        options.addOption(Option.builder().longOpt("spark-master").hasArg().argName("URL")
                .desc("train data-parallel on Apache Spark, e.g. local[2] or spark://host:7077 (needs the nmt-spark"
                        + " module: NMT_SPARK=1 ./nmt train …)").build());
        options.addOption(Option.builder().longOpt("spark-workers").hasArg().argName("N")
                .desc("with --spark-master: parallel workers (default: the cores Spark was given)").build());
        options.addOption(Option.builder().longOpt("spark-averaging-frequency").hasArg().argName("N")
                .desc("with --spark-master: local updates per worker between parameter averagings (default: 1)")
                .build());
        options.addOption(Option.builder().longOpt("spark-batch-sentences").hasArg().argName("N")
                .desc("with --spark-master: sentences per worker batch (default: train.batch_tokens × "
                        + "train.accumulate / mean padded pair length)").build());
        return options;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        ModelDirectory directory = new ModelDirectory(Path.of(line.getOptionValue("model")));
        List<String> overrides = line.hasOption("set") ? List.of(line.getOptionValues("set")) : List.of();
        boolean resume = line.hasOption("resume");
        TrainConfig config;
        try {
            if (resume) {
                if (line.hasOption("config")) {
                    throw new UsageException("--resume uses the configuration saved in " + directory.config()
                            + "; change train.* values with --set instead of -c");
                }
                config = TrainConfig.resume(directory.config(), overrides);
            } else {
                config = TrainConfig.load(line.hasOption("config") ? Path.of(line.getOptionValue("config")) : null,
                        overrides);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        DataParallelOptions dataParallel = dataParallelOptions(line);
        if (line.hasOption("print-config")) {
            System.out.print(config.toYaml());
            return 0;
        }
        Trainer.Summary summary = dataParallel == null
                ? StopOnSignal.run(new Trainer(config, directory, System.out), resume)
                : DataParallelTraining.find().run(config, directory, resume, dataParallel, System.out);
        System.out.printf("%nTraining %s.%n", summary.stopReason());
        System.out.printf("  updates %d, epochs %d, %.1f min, %.0f target tokens/s%n", summary.steps(),
                summary.epochs(), summary.trainingSeconds() / 60, summary.targetTokensPerSecond());
        if (summary.last() != null) {
            System.out.printf("  last validation: dev BLEU %.2f, chrF %.2f, loss %.4f (ppl %.2f)%n",
                    summary.last().bleu(), summary.last().chrf(), summary.last().loss(), summary.last().perplexity());
            System.out.printf("  best dev %s at update %d; BLEU signature %s%n", config.train().bestMetric(),
                    summary.bestStep(), summary.last().bleuSignature());
        }
        System.out.printf("  model directory: %s (best.zip, last.zip, metrics.csv, curves.png, train.log)%n",
                directory.root());
        return 0;
    }

    /** The --spark-* options, or null without --spark-master. */
    private static DataParallelOptions dataParallelOptions(CommandLine line) {
        if (!line.hasOption("spark-master")) {
            for (String name : List.of("spark-workers", "spark-averaging-frequency", "spark-batch-sentences")) {
                if (line.hasOption(name)) {
                    throw new UsageException("--" + name + " needs --spark-master");
                }
            }
            return null;
        }
        return new DataParallelOptions(line.getOptionValue("spark-master"),
                OptionValues.intOption(line, "spark-workers", 0, 1),
                OptionValues.intOption(line, "spark-averaging-frequency", 1, 1),
                OptionValues.intOption(line, "spark-batch-sentences", 0, 1));
    }
}

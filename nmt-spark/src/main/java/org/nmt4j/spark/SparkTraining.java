package org.nmt4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nmt4j.core.data.BatchIteratorState;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.config.TrainingOptions;
import org.nmt4j.train.loop.DataParallelOptions;
import org.nmt4j.train.loop.DataParallelTraining;
import org.nmt4j.train.loop.DevSet;
import org.nmt4j.train.loop.ModelDirectoryWriter;
import org.nmt4j.train.loop.PlateauDecay;
import org.nmt4j.train.loop.Trainer;
import org.nmt4j.train.loop.TrainerState;
import org.nmt4j.train.loop.TrainingData;
import org.nmt4j.train.loop.Validation;
import org.nmt4j.train.loop.WarmupSchedule;
import org.nmt4j.train.model.Seq2SeqGraph;
import org.nmt4j.train.report.MetricsCsv;

/**
 * {@code nmt train --spark-master URL}: trains nmt-train's encoder-decoder data-parallel on Apache Spark with DL4J's
 * {@link SparkComputationGraph} and {@link ParameterAveragingTrainingMaster}, and writes the model directory that
 * {@link Trainer} writes.
 *
 * <p>The driver reads and tokenizes the corpus as {@code Trainer} does, cuts it into batches of a fixed number of
 * sentences ({@link SentenceBatchPlanner}, {@link WorkerBatch}), and hands them to Spark a few updates at a time.
 * Every worker trains its own copy with DL4J's {@code fit} (per-token loss, tied embeddings and global-norm clipping
 * as in {@code GradientStep}: {@link TokenMeanCrossEntropy}, {@link GradientStepListener}); parameters and Adam
 * state are averaged every {@code averagingFrequency} local updates. <b>Updates</b> are counted as DL4J counts them
 * (the graph's iteration count, which also drives the learning-rate schedule): one update is one local step of every
 * worker at once, so it consumes {@code workers} batches, and an averaging round is {@code averagingFrequency}
 * updates. Validation and checkpoints run on the driver ({@link DevSet}), every {@code train.validate_every} updates
 * (at the first averaging at or after it) and at the end.
 */
public final class SparkTraining implements DataParallelTraining {

    /** Updates between two rows of metrics.csv (also the most handed to Spark in one go). */
    private static final int LOG_EVERY = 10;

    @Override
    public Trainer.Summary run(TrainConfig config, ModelDirectory directory, boolean resume,
                               DataParallelOptions options, PrintStream console) throws IOException {
        if (resume) {
            throw new IllegalArgumentException("--resume is not supported with --spark-master: a Spark run cannot be"
                    + " continued yet; continue it on one machine (nmt train -m DIR --resume) or start a new one");
        }
        TrainingOptions train = config.train();
        if (train.decay().equals("plateau")) {
            throw new IllegalArgumentException("train.decay=plateau is not supported with --spark-master: DL4J's "
                    + "Spark training follows the step schedule only; use inverse_sqrt or none, or train on one "
                    + "machine");
        }
        ModelDirectoryWriter writer = new ModelDirectoryWriter(config, directory, console);
        writer.prepare(false);
        try (SubwordTokenizer sourceTokenizer = SubwordTokenizer.load(directory.sourceSpm());
             SubwordTokenizer targetTokenizer = SubwordTokenizer.load(directory.targetSpm())) {
            TrainingData training = TrainingData.read(config, sourceTokenizer, targetTokenizer, writer);
            TokenizedCorpus corpus = training.corpus();
            DevSet dev = training.dev();

            ComputationGraph net = Seq2SeqGraph.build(config.model(), sourceTokenizer.vocabSize(),
                    targetTokenizer.vocabSize(), train.labelSmoothing(),
                    new Adam(WarmupSchedule.of(train)),
                    train.seed(), DataType.FLOAT);
            TokenMeanCrossEntropy.install(net, train.labelSmoothing());
            int rows = options.batchSentences() > 0 ? options.batchSentences()
                    : SentenceBatchPlanner.rowsFor(corpus, train.batchTokens() * train.accumulate());
            SentenceBatchPlanner planner = new SentenceBatchPlanner(corpus, rows);

            quietSparkLogging();
            try (JavaSparkContext spark = new JavaSparkContext(sparkConf(options.master()))) {
                int workers = options.workers() > 0 ? options.workers() : spark.defaultParallelism();
                DoubleAccumulator losses = spark.sc().doubleAccumulator("nmt4j training loss");
                ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, rows)
                        .batchSizePerWorker(rows).averagingFrequency(options.averagingFrequency())
                        .saveUpdater(true).workerPrefetchNumBatches(0)
                        .rddTrainingApproach(RDDTrainingApproach.Direct).rngSeed(train.seed()).build();
                SparkComputationGraph sparkNet = new SparkComputationGraph(spark, net, master);
                sparkNet.setListeners(new GradientStepListener(train.clipNorm(),
                        config.model().tieTargetEmbeddings(), losses));
                writer.log("model: " + net.numParams() + " parameters, attention " + config.model().attention());
                writer.log("Spark " + spark.version() + " master " + spark.master() + ": " + workers + " workers, "
                        + rows + " sentences per batch (" + planner.batchesPerEpoch() + " batches per epoch), "
                        + "parameter averaging every " + options.averagingFrequency() + " updates");
                return new Loop(config, writer, directory, dev, corpus, planner, targetTokenizer, spark, sparkNet,
                        losses, workers, options.averagingFrequency(), console).run();
            }
        }
    }

    /** The training loop on the driver. */
    private static final class Loop {
        private final TrainConfig config;
        private final TrainingOptions train;
        private final ModelDirectoryWriter writer;
        private final ModelDirectory directory;
        private final DevSet dev;
        private final TokenizedCorpus corpus;
        private final SentenceBatchPlanner planner;
        private final SubwordTokenizer targetTokenizer;
        private final JavaSparkContext spark;
        private final SparkComputationGraph sparkNet;
        private final ComputationGraph net;
        private final DoubleAccumulator losses;
        private final int workers;
        private final int averagingFrequency;
        private final PrintStream console;
        private int epoch;
        private int position;
        private List<int[]> epochBatches;
        private long batchesDone;

        Loop(TrainConfig config, ModelDirectoryWriter writer, ModelDirectory directory, DevSet dev,
             TokenizedCorpus corpus, SentenceBatchPlanner planner, SubwordTokenizer targetTokenizer,
             JavaSparkContext spark, SparkComputationGraph sparkNet, DoubleAccumulator losses, int workers,
             int averagingFrequency, PrintStream console) {
            this.config = config;
            this.train = config.train();
            this.writer = writer;
            this.directory = directory;
            this.dev = dev;
            this.corpus = corpus;
            this.planner = planner;
            this.targetTokenizer = targetTokenizer;
            this.spark = spark;
            this.sparkNet = sparkNet;
            this.net = sparkNet.getNetwork();
            this.losses = losses;
            this.workers = workers;
            this.averagingFrequency = averagingFrequency;
            this.console = console;
            this.epochBatches = planner.plan(train.seed(), 0);
        }

        Trainer.Summary run() throws IOException {
            int step = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            int bestStep = 0;
            int stale = 0;
            long tokens = 0;
            long start = System.nanoTime();
            Validation lastValidation = null;
            String stopReason = limitReached(step);
            while (stopReason == null) {
                int updates = Math.min(LOG_EVERY, train.validateEvery() - step % train.validateEvery());
                if (train.maxSteps() > 0) {
                    updates = Math.min(updates, train.maxSteps() - step);
                }
                int rounds = (updates + averagingFrequency - 1) / averagingFrequency;
                List<int[]> chunk = take(rounds * averagingFrequency * workers);
                List<MultiDataSet> batches = new ArrayList<>(chunk.size());
                long chunkTokens = 0;
                for (int[] examples : chunk) {
                    batches.add(WorkerBatch.of(corpus, examples, planner.rows(), targetTokenizer.specialIds()));
                    chunkTokens += WorkerBatch.targetTokens(corpus, examples);
                }
                long chunkStart = System.nanoTime();
                fit(batches, step);
                int before = step;
                step = net.getConfiguration().getIterationCount();
                tokens += chunkTokens;
                double chunkSeconds = (System.nanoTime() - chunkStart) / 1e9;
                double trainLoss = losses.count() > 0 ? losses.avg() : sparkNet.getScore();
                double learningRate = net.getLayer(0).conf().getLayer().getUpdaterByParam("W")
                        .getLearningRate(step, epoch);
                double elapsed = (System.nanoTime() - start) / 1e9;
                MetricsCsv.append(directory.metrics(), new MetricsCsv.Row(step, epoch, elapsed, trainLoss,
                        learningRate, chunkTokens / chunkSeconds, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
                console.printf("update %d epoch %d loss %.4f lr %.2e %.0f target tok/s%n", step, epoch + 1,
                        trainLoss, learningRate, chunkTokens / chunkSeconds);
                stopReason = limitReached(step);
                if (stopReason == null && train.maxMinutes() > 0 && elapsed / 60 >= train.maxMinutes()) {
                    stopReason = "reached train.max_minutes = " + train.maxMinutes();
                }
                if (stopReason == null && before / train.validateEvery() == step / train.validateEvery()) {
                    continue;
                }
                lastValidation = dev.validate(net, config.model());
                double score = lastValidation.score(train.bestMetric());
                boolean improved = score > bestScore;
                if (improved) {
                    bestScore = score;
                    bestStep = step;
                    stale = 0;
                } else {
                    stale++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                TrainerState state = new TrainerState(step, new BatchIteratorState(epoch, position, train.seed(),
                        corpus.size(), planner.rows()), seconds, tokens, bestScore, bestStep, stale,
                        PlateauDecay.State.START);
                writer.save(net, state, improved);
                writer.recordValidation(step, epoch, seconds, learningRate, lastValidation, improved);
                if (stopReason == null && train.patience() > 0 && stale >= train.patience()) {
                    stopReason = "no improvement of dev " + train.bestMetric() + " in " + stale + " validations";
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            writer.averageCheckpoints();
            writer.log("stopped: " + stopReason);
            return new Trainer.Summary(step, epochsDone(), seconds, tokens, lastValidation, bestScore, bestStep,
                    stopReason);
        }

        /** One fitMultiDataSet over the batches; a non-finite loss on a worker ends training. */
        private void fit(List<MultiDataSet> batches, int step) {
            losses.reset();
            JavaRDD<MultiDataSet> rdd = spark.parallelize(batches, workers);
            try {
                sparkNet.fitMultiDataSet(rdd);
            } catch (RuntimeException e) {
                if (GradientStepListener.isNonFinite(e)) {
                    throw new IllegalStateException("training stopped after update " + step + ": non-finite loss or"
                            + " gradient on a Spark worker (" + rootMessage(e) + "). The last good checkpoint is "
                            + directory.last() + "; lower train.learning_rate or train.clip_norm and start again.", e);
                }
                throw e;
            } finally {
                rdd.unpersist(false);
            }
            if (!Double.isFinite(net.params().sumNumber().doubleValue())) {
                throw new IllegalStateException("training stopped after update " + step + ": the averaged "
                        + "parameters are not finite. The last good checkpoint is " + directory.last());
            }
        }

        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            return t.getMessage();
        }

        /** The next {@code n} batches in epoch order; fewer when train.max_epochs ends first. */
        private List<int[]> take(int n) {
            List<int[]> out = new ArrayList<>(n);
            while (out.size() < n) {
                if (position == epochBatches.size()) {
                    if (train.maxEpochs() > 0 && epoch + 1 >= train.maxEpochs()) {
                        break;
                    }
                    epoch++;
                    position = 0;
                    epochBatches = planner.plan(train.seed(), epoch);
                }
                out.add(epochBatches.get(position++));
                batchesDone++;
            }
            return out;
        }

        private int epochsDone() {
            return (int) (batchesDone / planner.batchesPerEpoch());
        }

        private String limitReached(int step) {
            if (train.maxSteps() > 0 && step >= train.maxSteps()) {
                return "reached train.max_steps = " + train.maxSteps();
            }
            if (train.maxEpochs() > 0 && epochsDone() >= train.maxEpochs()) {
                return "reached train.max_epochs = " + train.maxEpochs();
            }
            return null;
        }
    }

    private static SparkConf sparkConf(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("nmt4j train");
        if (master.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false")
                    .setIfMissing("spark.driver.host", "127.0.0.1")
                    .setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    /** Spark, Hadoop and DL4J's Spark classes log at INFO to slf4j-simple; keep WARN unless configured. */
    private static void quietSparkLogging() {
        for (String logger : List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop", "io.netty",
                "org.deeplearning4j.spark")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}

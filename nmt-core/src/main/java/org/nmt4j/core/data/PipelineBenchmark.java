package org.nmt4j.core.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.nmt4j.core.text.SpecialIds;
import org.nmt4j.core.text.SubwordTokenizer;

/**
 * Measures the data pipeline on a parallel corpus: streaming read + SentencePiece tokenization of both sides, then
 * planning and assembling one epoch of token-based batches. Prints sentences per second (a pair is two sentences)
 * for each of several repeats and their median. Run it with
 * {@code mvn -q -pl nmt-core exec:java -Dexec.mainClass=org.nmt4j.core.data.PipelineBenchmark -Dexec.args="..."}
 * (see nmt-core/README.md, "Data pipeline").
 */
public final class PipelineBenchmark {

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options();
        options.addOption(Option.builder().longOpt("src").hasArg().required().desc("source text file").build());
        options.addOption(Option.builder().longOpt("tgt").hasArg().required().desc("target text file").build());
        options.addOption(Option.builder().longOpt("model").hasArg().required()
                .desc("SentencePiece model (joint), or the source model with --tgt-model").build());
        options.addOption(Option.builder().longOpt("tgt-model").hasArg().desc("target SentencePiece model").build());
        options.addOption(Option.builder().longOpt("max-tokens").hasArg().desc("batch size in tokens (4096)").build());
        options.addOption(Option.builder().longOpt("max-len").hasArg().desc("most subwords per side (250)").build());
        options.addOption(Option.builder().longOpt("repeats").hasArg().desc("timed repeats (5)").build());
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(options, args);
        } catch (ParseException e) {
            System.err.println(e.getMessage());
            new HelpFormatter().printHelp("PipelineBenchmark", options);
            System.exit(2);
            return;
        }
        Path src = Path.of(cl.getOptionValue("src"));
        Path tgt = Path.of(cl.getOptionValue("tgt"));
        int maxTokens = Integer.parseInt(cl.getOptionValue("max-tokens", "4096"));
        int maxLen = Integer.parseInt(cl.getOptionValue("max-len", "250"));
        int repeats = Integer.parseInt(cl.getOptionValue("repeats", "5"));

        long t0 = System.nanoTime();
        try (SubwordTokenizer srcTok = SubwordTokenizer.load(Path.of(cl.getOptionValue("model")));
             SubwordTokenizer tgtTok = cl.hasOption("tgt-model")
                     ? SubwordTokenizer.load(Path.of(cl.getOptionValue("tgt-model")))
                     : SubwordTokenizer.load(Path.of(cl.getOptionValue("model")))) {
            System.out.printf(Locale.ROOT, "loaded model(s) in %.2f s; vocab %d / %d%n", seconds(t0),
                    srcTok.vocabSize(), tgtTok.vocabSize());
            SpecialIds ids = tgtTok.specialIds();
            double[] tokenizeRates = new double[repeats];
            double[] batchRates = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                TokenizedCorpus corpus;
                CorpusStats stats;
                try (ParallelTextReader reader = ParallelTextReader.open(src, tgt, LengthLimits.NONE)) {
                    corpus = TokenizedCorpus.tokenize(reader, srcTok, tgtTok, maxLen, maxLen);
                    stats = reader.stats();
                }
                double tokenizeSeconds = seconds(start);
                long sentences = 2L * stats.accepted();
                tokenizeRates[r] = sentences / tokenizeSeconds;

                start = System.nanoTime();
                BatchIterator it = new BatchIterator(new BatchPlanner(corpus, maxTokens), ids, r);
                int batches = it.batchesInEpoch();
                long padded = 0;
                for (int b = 0; b < batches; b++) {
                    Batch batch = it.next();
                    padded += batch.paddedSourceTokens() + batch.paddedTargetTokens();
                }
                double batchSeconds = seconds(start);
                batchRates[r] = 2.0 * corpus.size() / batchSeconds;
                long real = realTokens(corpus);
                System.out.printf(Locale.ROOT, "repeat %d: %s; %d pairs kept (%d over %d subwords); "
                        + "read+tokenize %.2f s = %.0f sentences/s; epoch of %d batches (max tokens %d, "
                        + "padding %.1f%%) %.3f s = %.0f sentences/s%n",
                        r + 1, stats, corpus.size(), corpus.droppedTooManySubwords(), maxLen, tokenizeSeconds,
                        tokenizeRates[r], batches, maxTokens, 100.0 * (padded - real) / padded, batchSeconds,
                        batchRates[r]);
            }
            System.out.printf(Locale.ROOT, "median over %d repeats: read+tokenize %.0f sentences/s, batching %.0f "
                    + "sentences/s%n", repeats, median(tokenizeRates), median(batchRates));
        }
    }

    /** Source and target tokens of all batches without padding (with eos / bos added). */
    private static long realTokens(TokenizedCorpus corpus) {
        long n = 0;
        for (int i = 0; i < corpus.size(); i++) {
            n += corpus.source(i).length + 1 + corpus.target(i).length + 1;
        }
        return n;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}

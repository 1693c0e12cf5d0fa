package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.nmt4j.cli.OptionValues.doubleOption;
import static org.nmt4j.cli.OptionValues.intOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nmt4j.cli.Command;
import org.nmt4j.cli.UsageException;
import org.nmt4j.core.data.Utf8LineReader;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.search.BeamSearch;
import org.nmt4j.serve.search.LengthPenalty;
import org.nmt4j.serve.translate.Alignment;
import org.nmt4j.serve.translate.Translation;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.serve.translate.Translator;

/**
 * {@code nmt translate -m MODEL_DIR [-i IN] [-o OUT] …}: translates raw UTF-8 text, one sentence per line, into
 * detokenized text, one line per input line in input order (with {@code --n-best K}: up to K lines
 * {@code INDEX ||| TRANSLATION ||| SCORE} per input line, INDEX 0-based). With {@code --alignments hard}, each output
 * line is followed by a tab and the {@link Alignment#pharaoh() Pharaoh pairs}; with {@code --alignments soft}, each
 * output line becomes one JSON object with the translation, the pieces and the attention weights. Reads and writes
 * {@value #CHUNK_BATCHES} batches of lines at a time, so inputs of any size stream through. Warnings, progress
 * and the final speed go to stderr. See {@link Translator} for empty and over-long lines and {@link BeamSearch}
 * for the search.
 */
public final class TranslateCommand implements Command {

    /** Batches of lines read, translated and written at a time. */
    public static final int CHUNK_BATCHES = 16;
    /**
     * Sentences per batch unless {@code --batch-size} says otherwise (also for {@code nmt compare} and
     * {@code nmt quickstart}): 64 translated the Bible test set 22% faster than 32 with greedy search, 6% with
     * beam 5 (nmt-serve/README.md).
     */
    static final int DEFAULT_BATCH_SIZE = 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "translate";
    }

    @Override
    public String description() {
        return "translate text, one sentence per line, with a trained model (beam search, n-best lists)";
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("m").longOpt("model").hasArg().argName("DIR").required()
                .desc("model directory written by nmt train").build());
        options.addOption(Option.builder("i").longOpt("input").hasArg().argName("FILE")
                .desc("text to translate, UTF-8, one sentence per line (default: stdin)").build());
        options.addOption(Option.builder("o").longOpt("output").hasArg().argName("FILE")
                .desc("where to write the translations (default: stdout)").build());
        options.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("NAME|PATH")
                .desc("best, last, averaged (files of the model directory) or a checkpoint path (default best)")
                .build());
        options.addOption(Option.builder().longOpt("beam").hasArg().argName("K")
                .desc("beam size (default 5); 1 is greedy search").build());
        options.addOption(Option.builder().longOpt("n-best").hasArg().argName("K")
                .desc("print the K best translations (K <= beam) as 'INDEX ||| TRANSLATION ||| SCORE'").build());
        options.addOption(Option.builder().longOpt("batch-size").hasArg().argName("N")
                .desc("sentences per batch (default " + DEFAULT_BATCH_SIZE + ")").build());
        options.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("batches translated at once, one per thread (default: the number of cores)").build());
        options.addOption(Option.builder().longOpt("length-penalty").hasArg().argName("gnmt|plain")
                .desc("score / ((5+|y|)/6)^alpha (gnmt, default) or score / |y|^alpha (plain)").build());
        options.addOption(Option.builder().longOpt("alpha").hasArg().argName("A")
                .desc("length penalty exponent (default 0.6; 0: raw log-probability)").build());
        options.addOption(Option.builder().longOpt("max-len-a").hasArg().argName("A")
                .desc("maximum output length a*|x| + b in subwords: a (default 2)").build());
        options.addOption(Option.builder().longOpt("max-len-b").hasArg().argName("B")
                .desc("b (default 10)").build());
        options.addOption(Option.builder().longOpt("no-repeat-ngram").hasArg().argName("N")
                .desc("never repeat an n-gram of N subwords (default 0: off)").build());
        options.addOption(Option.builder().longOpt("alignments").hasArg().argName("hard|soft")
                .desc("hard: append a tab and source-target pairs i-j (Pharaoh format); soft: print one JSON object "
                        + "per line with the pieces and the attention weights").build());
        return options;
    }

    @Override
    public int run(CommandLine line) throws IOException {
        int beam = intOption(line, "beam", 5, 1);
        int nBest = intOption(line, "n-best", 0, 1);
        if (nBest > beam) {
            throw new UsageException("--n-best " + nBest + " needs --beam of at least " + nBest);
        }
        int batchSize = intOption(line, "batch-size", DEFAULT_BATCH_SIZE, 1);
        int threads = intOption(line, "threads", Runtime.getRuntime().availableProcessors(), 1);
        int noRepeatNgram = intOption(line, "no-repeat-ngram", 0, 0);
        Alignments alignments = alignmentsOption(line);
        BeamOptions options;
        try {
            LengthPenalty penalty = new LengthPenalty(
                    LengthPenalty.Kind.parse(line.getOptionValue("length-penalty", "gnmt")),
                    doubleOption(line, "alpha", 0.6));
            options = new BeamOptions(beam, penalty, doubleOption(line, "max-len-a", 2),
                    doubleOption(line, "max-len-b", 10), noRepeatNgram, alignments != null);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path input = line.hasOption("input") ? Path.of(line.getOptionValue("input")) : null;
        if (input != null && !Files.exists(input)) {
            throw new IllegalArgumentException("input file " + input + " does not exist");
        }
        Path output = line.hasOption("output") ? Path.of(line.getOptionValue("output")) : null;

        long sentences = 0;
        long words = 0;
        double seconds;
        // Utf8LineReader (strict UTF-8, errors name the line) reads a path: stdin is read as /dev/stdin.
        try (TranslationModel model = TranslationModel.load(new ModelDirectory(Path.of(line.getOptionValue("model"))),
                line.getOptionValue("checkpoint", "best"));
             Utf8LineReader reader = new Utf8LineReader(input == null ? Path.of("/dev/stdin") : input);
             Writer out = open(output);
             ProgressBar bar = progressBar(input);
             Translator translator = Translator.of(model, options, greedy(options, nBest), batchSize, threads,
                     TranslateCommand::warn)) {
            long start = System.nanoTime();
            for (List<String> chunk = read(reader, CHUNK_BATCHES * batchSize); !chunk.isEmpty();
                    chunk = read(reader, CHUNK_BATCHES * batchSize)) {
                write(out, translator.translate(chunk, sentences + 1), sentences, nBest, alignments);
                out.flush();
                sentences += chunk.size();
                words += chunk.stream().mapToLong(TranslateCommand::countWords).sum();
                if (bar != null) {
                    bar.stepBy(chunk.size());
                }
            }
            seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-9);
        }
        System.err.printf(Locale.ROOT, "translated %d sentences (%d source words) in %.1f s: %.1f sentences/s, "
                + "%.1f words/s%n", sentences, words, seconds, sentences / seconds, words / seconds);
        return 0;
    }

    /**
     * Greedy search gives the same translations faster; it cannot score (n-best), block repetitions or keep
     * attention rows.
     */
    private static boolean greedy(BeamOptions options, int nBest) {
        return options.beamSize() == 1 && nBest == 0 && options.noRepeatNgram() == 0 && !options.alignments();
    }

    /** The output formats of {@code --alignments}. */
    private enum Alignments { HARD, SOFT }

    private static Alignments alignmentsOption(CommandLine line) {
        String value = line.getOptionValue("alignments");
        return switch (value == null ? "" : value) {
            case "" -> null;
            case "hard" -> Alignments.HARD;
            case "soft" -> Alignments.SOFT;
            default -> throw new UsageException("--alignments must be hard or soft: " + value);
        };
    }

    /** The output file, or stdout, which closing only flushes. */
    private static Writer open(Path output) throws IOException {
        if (output != null) {
            return Files.newBufferedWriter(output, UTF_8);
        }
        return new BufferedWriter(new OutputStreamWriter(System.out, UTF_8)) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** The next {@code count} lines, fewer at the end of the input. */
    private static List<String> read(Utf8LineReader reader, int count) throws IOException {
        List<String> lines = new ArrayList<>(count);
        while (lines.size() < count) {
            String text = reader.readLine();
            if (text == null) {
                break;
            }
            lines.add(text);
        }
        return lines;
    }

    /** Writes the translations of the lines after the first {@code linesBefore} of the input. */
    private static void write(Writer out, List<List<Translation>> translations, long linesBefore, int nBest,
                              Alignments alignments) throws IOException {
        for (int i = 0; i < translations.size(); i++) {
            List<Translation> list = translations.get(i);
            for (Translation t : list.subList(0, nBest == 0 ? 1 : Math.min(nBest, list.size()))) {
                long index = linesBefore + i;
                String text = nBest == 0 ? t.text()
                        : String.format(Locale.ROOT, "%d ||| %s ||| %.4f", index, t.text(), t.score());
                if (alignments == Alignments.HARD) {
                    text += "\t" + t.alignment().pharaoh();
                } else if (alignments == Alignments.SOFT) {
                    text = softAlignment(t, nBest == 0 ? null : index);
                }
                out.write(text);
                out.write('\n');
            }
        }
    }

    /**
     * One JSON object: {@code {"translation", "source", "target", "weights"}} (see {@link Alignment}), preceded by
     * {@code "index"} and {@code "score"} in n-best lists.
     */
    private static String softAlignment(Translation t, Long nBestIndex) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        if (nBestIndex != null) {
            json.put("index", nBestIndex);
            json.put("score", t.score());
        }
        json.put("translation", t.text());
        json.put("source", t.alignment().source());
        json.put("target", t.alignment().target());
        json.put("weights", t.alignment().weights());
        return JSON.writeValueAsString(json);
    }

    /** Whitespace-separated words of a line. */
    private static long countWords(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static void warn(String message) {
        System.err.println("nmt translate: warning: " + message);
    }

    /** A bar on the console (sized by the input file's lines), or null when stderr is not a terminal. */
    private static ProgressBar progressBar(Path input) throws IOException {
        if (System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("translate").setStyle(ProgressBarStyle.ASCII)
                .setInitialMax(input != null && Files.isRegularFile(input) ? countLines(input) : -1)
                .setUnit(" sentences", 1).setUpdateIntervalMillis(1000).build();
    }

    private static long countLines(Path file) throws IOException {
        long lines = 0;
        boolean unterminated = false;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                unterminated = buffer[n - 1] != '\n';
            }
        }
        return lines + (unterminated ? 1 : 0);
    }
}

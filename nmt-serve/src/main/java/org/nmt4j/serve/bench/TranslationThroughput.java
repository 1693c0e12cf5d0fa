package org.nmt4j.serve.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.cli.TranslateCommand;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.serve.translate.Translator;

/**
 * Translation speed cold and warm: translates a file {@code rounds} times in one JVM with the search, batching and
 * defaults of {@code nmt translate} (GNMT length penalty 0.6, maximum length 2·|x| + 10) and prints sentences/s per
 * round. The first round is what a one-shot {@code nmt translate} measures, JIT compilation included; the later ones
 * are the steady state of a long file or of {@code nmt serve}. The file is read into memory before timing.
 * Arguments: {@code MODEL_DIR INPUT [beam=5] [rounds=3] [batch size=64] [threads=cores]}.
 */
public final class TranslationThroughput {

    private TranslationThroughput() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TranslationThroughput MODEL_DIR INPUT [beam] [rounds] [batch size] [threads]");
            System.exit(2);
        }
        int beam = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int batchSize = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : Runtime.getRuntime().availableProcessors();
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        try (TranslationModel model = TranslationModel.load(new ModelDirectory(Path.of(args[0])), "best");
             Translator translator = Translator.of(model, BeamOptions.defaults(beam, false), beam == 1, batchSize,
                     threads, warning -> { })) {
            for (int round = 1; round <= rounds; round++) {
                long start = System.nanoTime();
                int chunk = TranslateCommand.CHUNK_BATCHES * batchSize;
                for (int from = 0; from < lines.size(); from += chunk) {
                    translator.translate(lines.subList(from, Math.min(from + chunk, lines.size())), from + 1);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "beam %d, round %d: %d sentences in %.2f s, %.1f sentences/s%n", beam,
                        round, lines.size(), seconds, lines.size() / seconds);
            }
        }
    }
}

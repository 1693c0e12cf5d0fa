package org.nmt4j.serve.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.search.BeamSearch;
import org.nmt4j.serve.translate.Alignment;
import org.nmt4j.serve.translate.Translation;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.serve.translate.Translator;

/**
 * Translates a test set with one model, as {@code nmt translate} does, and measures what a comparison reports: the
 * translations, the wall-clock time, the {@link AttentionStatistics} of the best hypotheses and the alignments of a
 * few chosen lines (for heatmaps). The search keeps attention rows for every line (a small cost, the same for every
 * model compared).
 */
public final class TestSetTranslation {

    /** Lines translated between two progress updates. */
    private static final int CHUNK = 256;

    /**
     * @param translations one per input line
     * @param seconds      wall-clock time of the translation (model loading excluded)
     * @param attention    statistics over the attention rows of all translations
     * @param alignments   the alignments of the lines asked for, by 0-based line index
     */
    public record Result(List<String> translations, double seconds, AttentionStatistics attention,
            Map<Integer, Alignment> alignments) {

        public double sentencesPerSecond() {
            return seconds == 0 ? 0 : translations.size() / seconds;
        }
    }

    private TestSetTranslation() {
    }

    /**
     * @param options   the search (its {@code alignments} flag is turned on)
     * @param keep      0-based indices of the lines whose alignments the result keeps
     * @param console   where progress goes when there is no terminal (null: nowhere)
     */
    public static Result run(TranslationModel model, BeamOptions options, int batchSize, List<String> lines,
                             Set<Integer> keep, PrintStream console) {
        BeamOptions withAlignments = new BeamOptions(options.beamSize(), options.lengthPenalty(),
                options.lengthRatio(), options.lengthOffset(), options.noRepeatNgram(), true);
        List<String> translations = new ArrayList<>(lines.size());
        AttentionStatistics attention = new AttentionStatistics();
        Map<Integer, Alignment> alignments = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (Translator translator = Translator.beam(model, new BeamSearch(model.model(),
                        model.target().specialIds(), withAlignments), batchSize,
                        Runtime.getRuntime().availableProcessors(), warning -> { });
             ProgressBar bar = System.console() == null ? null : new ProgressBarBuilder().setTaskName("translate")
                .setStyle(ProgressBarStyle.ASCII).setInitialMax(lines.size()).setUnit(" sentences", 1)
                .setUpdateIntervalMillis(1000).build()) {
            for (int from = 0; from < lines.size(); from += CHUNK) {
                List<String> chunk = lines.subList(from, Math.min(lines.size(), from + CHUNK));
                List<List<Translation>> found = translator.translate(chunk, from + 1);
                for (int i = 0; i < found.size(); i++) {
                    Translation best = found.get(i).get(0);
                    translations.add(best.text());
                    attention.add(best.alignment().weights());
                    if (keep.contains(from + i)) {
                        alignments.put(from + i, best.alignment());
                    }
                }
                if (bar != null) {
                    bar.stepTo(translations.size());
                } else if (console != null) {
                    console.printf(Locale.ROOT, "  translated %d/%d sentences (%.1f sentences/s)%n",
                            translations.size(), lines.size(),
                            translations.size() / ((System.nanoTime() - start) / 1e9));
                }
            }
        }
        return new Result(translations, (System.nanoTime() - start) / 1e9, attention, alignments);
    }
}

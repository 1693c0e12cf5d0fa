package org.nmt4j.serve.translate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.nmt4j.core.model.GreedySearch;
import org.nmt4j.serve.search.BeamSearch;
import org.nmt4j.serve.search.Hypothesis;

/**
 * Translates lines of raw text: SentencePiece-encodes them, translates them in batches of similar source length,
 * and detokenizes the results, in the order of the lines.
 * <ul>
 *   <li>A line without subwords (empty or only whitespace) gives one empty translation of score 0; the model does
 *       not see it.</li>
 *   <li>A line of more than {@link TranslationModel#maxSourceSubwords()} subwords (the training limit
 *       {@code data.max_source_subwords}) is translated from its first that many subwords, and a warning names
 *       its line number. It is never dropped.</li>
 *   <li>With a search that keeps attention rows ({@link org.nmt4j.serve.search.BeamOptions#alignments()}), each
 *       translation carries its {@link Alignment}.</li>
 * </ul>
 * Not thread-safe (the tokenizers are not).
 */
public final class Translator {

    private final TranslationModel model;
    private final Function<int[][], List<List<Hypothesis>>> search;
    private final boolean alignments;
    private final int batchSize;
    private final Consumer<String> warnings;

    private Translator(TranslationModel model, Function<int[][], List<List<Hypothesis>>> search, boolean alignments,
                       int batchSize, Consumer<String> warnings) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.model = model;
        this.search = search;
        this.alignments = alignments;
        this.batchSize = batchSize;
        this.warnings = warnings;
    }

    /** With beam search: each line gets its n-best list, with alignments if the search keeps attention rows. */
    public static Translator beam(TranslationModel model, BeamSearch search, int batchSize,
                                  Consumer<String> warnings) {
        return new Translator(model, search::search, search.options().alignments(), batchSize, warnings);
    }

    /** With greedy search: each line gets one translation, score NaN. */
    public static Translator greedy(TranslationModel model, GreedySearch search, int batchSize,
                                    Consumer<String> warnings) {
        return new Translator(model, sources -> Arrays.stream(search.translate(sources))
                .map(ids -> List.of(new Hypothesis(ids, Double.NaN, Double.NaN, null))).toList(),
                false, batchSize, warnings);
    }

    /**
     * Translates consecutive lines of an input.
     *
     * @param lines           the lines, without line terminators
     * @param firstLineNumber the 1-based line number of {@code lines.get(0)} in the input, for warnings
     * @return per line, its translations, best first
     */
    public List<List<Translation>> translate(List<String> lines, long firstLineNumber) {
        List<List<Translation>> results = new ArrayList<>(Collections.nCopies(lines.size(), null));
        int[][] sources = new int[lines.size()][];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            sources[i] = encode(lines.get(i), firstLineNumber + i);
            if (sources[i] == null) {
                results.set(i, List.of(new Translation("", 0, alignments ? Alignment.EMPTY : null)));
            } else {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt(i -> sources[i].length));
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + batchSize));
            List<List<Hypothesis>> found = search.apply(batch.stream().map(i -> sources[i]).toArray(int[][]::new));
            for (int j = 0; j < batch.size(); j++) {
                int[] source = sources[batch.get(j)];
                results.set(batch.get(j), found.get(j).stream().map(h -> new Translation(
                        model.target().decode(h.ids()), h.score(), alignments ? alignment(source, h) : null)).toList());
            }
        }
        return results;
    }

    private Alignment alignment(int[] source, Hypothesis hypothesis) {
        return new Alignment(Arrays.stream(source).mapToObj(model.source()::piece).toList(),
                Arrays.stream(hypothesis.ids()).mapToObj(model.target()::piece).toList(), hypothesis.attention());
    }

    /** The line's subword ids, cut to the limit, with eos; null for a line without subwords. */
    private int[] encode(String line, long lineNumber) {
        int[] ids = model.source().encode(line);
        if (ids.length == 0) {
            return null;
        }
        int limit = model.maxSourceSubwords();
        if (ids.length > limit) {
            warnings.accept("line " + lineNumber + ": " + ids.length + " source subwords, translating the first "
                    + limit + " (data.max_source_subwords)");
        }
        int length = Math.min(ids.length, limit);
        int[] source = Arrays.copyOf(ids, length + 1);
        source[length] = model.source().eosId();
        return source;
    }
}

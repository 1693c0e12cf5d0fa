package org.nmt4j.serve.translate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.nmt4j.core.model.GreedySearch;
import org.nmt4j.core.model.NativeThreads;
import org.nmt4j.serve.search.BeamOptions;
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
 *   <li>With {@code threads} &gt; 1, that many batches are searched at once, each on its own thread, and ND4J's
 *       native code is set to one thread per call ({@link NativeThreads#ONE_PER_CALL}) until {@link #close}. The
 *       results do not depend on the number of threads.</li>
 * </ul>
 * Not thread-safe (the tokenizers are not): one thread calls {@link #translate}; close it when done.
 */
public final class Translator implements AutoCloseable {

    private final TranslationModel model;
    private final Function<int[][], List<List<Hypothesis>>> search;
    private final boolean alignments;
    private final int batchSize;
    private final Consumer<String> warnings;
    /** The search threads, null for a search on the calling thread. */
    private final ExecutorService workers;
    /** The native thread settings to restore on {@link #close}, null if unchanged. */
    private final NativeThreads replacedSettings;

    private Translator(TranslationModel model, Function<int[][], List<List<Hypothesis>>> search, boolean alignments,
                       int batchSize, int threads, Consumer<String> warnings) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.model = model;
        this.search = search;
        this.alignments = alignments;
        this.batchSize = batchSize;
        this.warnings = warnings;
        if (threads > 1) {
            workers = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "nmt-search");
                thread.setDaemon(true);
                return thread;
            });
            replacedSettings = NativeThreads.current();
            NativeThreads.ONE_PER_CALL.apply();
        } else {
            workers = null;
            replacedSettings = null;
        }
    }

    /**
     * Greedy search where {@code greedy} (the output of a beam of 1, faster; {@code options} give its maximum
     * length), else beam search with {@code options}.
     */
    public static Translator of(TranslationModel model, BeamOptions options, boolean greedy, int batchSize,
                                int threads, Consumer<String> warnings) {
        return greedy
                ? greedy(model, new GreedySearch(model.model(), model.target().specialIds(), options.lengthRatio(),
                        options.lengthOffset()), batchSize, threads, warnings)
                : beam(model, new BeamSearch(model.model(), model.target().specialIds(), options), batchSize, threads,
                        warnings);
    }

    /** With beam search: each line gets its n-best list, with alignments if the search keeps attention rows. */
    public static Translator beam(TranslationModel model, BeamSearch search, int batchSize, int threads,
                                  Consumer<String> warnings) {
        return new Translator(model, search::search, search.options().alignments(), batchSize, threads, warnings);
    }

    /** With greedy search: each line gets one translation, score NaN. */
    public static Translator greedy(TranslationModel model, GreedySearch search, int batchSize, int threads,
                                    Consumer<String> warnings) {
        return new Translator(model, sources -> Arrays.stream(search.translate(sources))
                .map(ids -> List.of(new Hypothesis(ids, Double.NaN, Double.NaN, null))).toList(),
                false, batchSize, threads, warnings);
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
        List<List<Integer>> batches = new ArrayList<>();
        for (int from = 0; from < order.size(); from += batchSize) {
            batches.add(order.subList(from, Math.min(order.size(), from + batchSize)));
        }
        List<List<List<Hypothesis>>> searched = searchAll(batches.stream()
                .map(batch -> batch.stream().map(i -> sources[i]).toArray(int[][]::new)).toList());
        for (int b = 0; b < batches.size(); b++) {
            List<Integer> batch = batches.get(b);
            List<List<Hypothesis>> found = searched.get(b);
            for (int j = 0; j < batch.size(); j++) {
                int[] source = sources[batch.get(j)];
                results.set(batch.get(j), found.get(j).stream().map(h -> new Translation(
                        model.target().decode(h.ids()), h.score(), alignments ? alignment(source, h) : null)).toList());
            }
        }
        return results;
    }

    /** The search results of each batch, in order; on the worker threads if there are any. */
    private List<List<List<Hypothesis>>> searchAll(List<int[][]> batches) {
        if (workers == null) {
            return batches.stream().map(search).toList();
        }
        List<Future<List<List<Hypothesis>>>> futures = batches.stream()
                .map(batch -> workers.submit(() -> search.apply(batch))).toList();
        List<List<List<Hypothesis>>> results = new ArrayList<>();
        try {
            for (Future<List<List<Hypothesis>>> future : futures) {
                results.add(future.get());
            }
        } catch (ExecutionException e) {
            futures.forEach(future -> future.cancel(false));
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            futures.forEach(future -> future.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while translating", e);
        }
        return results;
    }

    /** Stops the search threads and restores ND4J's native thread settings. */
    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
            replacedSettings.apply();
        }
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

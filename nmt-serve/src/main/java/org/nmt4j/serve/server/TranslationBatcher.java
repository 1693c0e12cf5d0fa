package org.nmt4j.serve.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.search.BeamSearch;
import org.nmt4j.serve.translate.Translation;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.serve.translate.Translator;

/**
 * Translates the sentences of concurrent requests together. Callers {@link #submit} sentences; one worker thread
 * takes every queued sentence (up to {@code maxBatch}), translates those with the same {@link Settings} as one
 * batch (beam search with the defaults of {@code nmt translate}; with several threads, cut into that many batches
 * searched at once), and completes their futures. The worker alone uses the {@link Translator}s, whose tokenizers
 * are not thread-safe. {@link #submit} may be called from any thread.
 */
final class TranslationBatcher implements AutoCloseable {

    /** The search settings of a sentence: sentences with equal settings share batches. */
    record Settings(int beam, boolean alignments) {
    }

    private record Job(String text, Settings settings, CompletableFuture<List<Translation>> result) {
    }

    /** Queued by {@link #close}: the worker stops when it reaches it. */
    private static final Job STOP = new Job(null, null, null);

    private final TranslationModel model;
    private final int maxBatch;
    private final int threads;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Map<Settings, Translator> translators = new HashMap<>();
    private final Thread worker;
    private boolean closed;

    TranslationBatcher(TranslationModel model, int maxBatch, int threads) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.threads = threads;
        this.worker = new Thread(this::work, "nmt-serve-translator");
        worker.start();
    }

    /**
     * Queues one sentence.
     *
     * @return its translations, best first; failed with {@link RejectedExecutionException} once the batcher is
     *         closed
     */
    synchronized CompletableFuture<List<Translation>> submit(String text, Settings settings) {
        if (closed) {
            return CompletableFuture.failedFuture(new RejectedExecutionException("the server is shutting down"));
        }
        Job job = new Job(text, settings, new CompletableFuture<>());
        queue.add(job);
        return job.result();
    }

    /** Translates what was queued before, then stops the worker and the translators; returns when they stopped. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            if (!closed) {
                closed = true;
                queue.add(STOP);
            }
        }
        worker.join();
        translators.values().forEach(Translator::close);
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return; // nobody interrupts the worker; close() stops it with STOP
            }
            queue.drainTo(batch, maxBatch - 1);
            // Nothing is queued after STOP, so the jobs before it are all translated.
            stop = batch.remove(STOP);
            Map<Settings, List<Job>> groups = new LinkedHashMap<>();
            for (Job job : batch) {
                groups.computeIfAbsent(job.settings(), s -> new ArrayList<>()).add(job);
            }
            groups.forEach(this::translate);
        }
    }

    private void translate(Settings settings, List<Job> jobs) {
        try {
            int batchSize = (maxBatch + threads - 1) / threads;
            Translator translator = translators.computeIfAbsent(settings, s -> Translator.beam(model,
                    new BeamSearch(model.model(), model.target().specialIds(),
                            BeamOptions.defaults(s.beam(), s.alignments())), batchSize, threads, warning -> { }));
            List<List<Translation>> results = translator.translate(jobs.stream().map(Job::text).toList(), 1);
            for (int i = 0; i < jobs.size(); i++) {
                jobs.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            // Every future completes, whatever happens: a request never waits forever.
            jobs.forEach(job -> job.result().completeExceptionally(e));
        }
    }
}

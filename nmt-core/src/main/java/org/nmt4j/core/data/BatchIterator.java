package org.nmt4j.core.data;

import java.util.Iterator;
import java.util.List;
import org.nmt4j.core.text.SpecialIds;

/**
 * Endless source of training batches over epochs: epoch {@code e} uses {@link BatchPlanner#plan(long, int)
 * plan(seed, e)}; after its last batch comes epoch {@code e + 1}. {@link #state()} can be saved and handed to
 * {@link #resume} to continue with exactly the batches that would have followed. Holds the current epoch's plan
 * (one int per pair).
 */
public final class BatchIterator implements Iterator<Batch> {

    private final BatchPlanner planner;
    private final SpecialIds ids;
    private final long seed;
    private int epoch;
    private int position;
    private List<int[]> plan;

    /** Starts at the first batch of epoch 0. */
    public BatchIterator(BatchPlanner planner, SpecialIds ids, long seed) {
        this(planner, ids, seed, 0, 0);
    }

    private BatchIterator(BatchPlanner planner, SpecialIds ids, long seed, int epoch, int position) {
        this.planner = planner;
        this.ids = ids;
        this.seed = seed;
        this.epoch = epoch;
        this.position = position;
        this.plan = planner.plan(seed, epoch);
        if (position > plan.size()) {
            throw new IllegalArgumentException("position " + position + " past the " + plan.size()
                    + " batches of epoch " + epoch);
        }
    }

    /**
     * Continues from a saved state.
     *
     * @throws IllegalArgumentException if the state belongs to another corpus size or max tokens
     */
    public static BatchIterator resume(BatchPlanner planner, SpecialIds ids, BatchIteratorState state) {
        if (state.corpusSize() != planner.corpus().size() || state.maxTokens() != planner.maxTokens()) {
            throw new IllegalArgumentException("state was saved for " + state.corpusSize() + " pairs and max tokens "
                    + state.maxTokens() + ", not " + planner.corpus().size() + " pairs and max tokens "
                    + planner.maxTokens());
        }
        return new BatchIterator(planner, ids, state.seed(), state.epoch(), state.position());
    }

    /** Always true: epochs follow one another without end. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Batch next() {
        if (position == plan.size()) {
            epoch++;
            position = 0;
            plan = planner.plan(seed, epoch);
        }
        int index = position++;
        return Batch.assemble(planner.corpus(), plan.get(index), ids, epoch, index);
    }

    /** The epoch of the batch {@link #next()} returned last (or 0 before any). */
    public int epoch() {
        return epoch;
    }

    /** Number of batches in the current epoch. */
    public int batchesInEpoch() {
        return plan.size();
    }

    /** The position to save: the next {@link #next()} after {@link #resume} returns what this one would. */
    public BatchIteratorState state() {
        return new BatchIteratorState(epoch, position, seed, planner.corpus().size(), planner.maxTokens());
    }
}

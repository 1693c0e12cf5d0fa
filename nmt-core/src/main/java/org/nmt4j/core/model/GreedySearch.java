package org.nmt4j.core.model;

import java.util.Arrays;
import org.nmt4j.core.text.SpecialIds;

/**
 * Greedy decoding of many sentences at once: every unfinished sentence takes its most probable next token until
 * it produces eos or reaches its maximum length {@code floor(lengthRatio · |x| + lengthOffset)}, with |x| the
 * source length without its eos. Finished sentences leave the batch.
 */
public final class GreedySearch {

    private final Seq2SeqModel model;
    private final SpecialIds ids;
    private final double lengthRatio;
    private final double lengthOffset;

    /**
     * @param lengthRatio  a in the maximum output length {@code a·|x| + b}, at least 0
     * @param lengthOffset b, at least 0
     */
    public GreedySearch(Seq2SeqModel model, SpecialIds ids, double lengthRatio, double lengthOffset) {
        if (!(lengthRatio >= 0) || Double.isInfinite(lengthRatio)) {
            throw new IllegalArgumentException("length ratio must be finite and at least 0, got " + lengthRatio);
        }
        if (!(lengthOffset >= 0) || Double.isInfinite(lengthOffset)) {
            throw new IllegalArgumentException("length offset must be finite and at least 0, got " + lengthOffset);
        }
        this.model = model;
        this.ids = ids;
        this.lengthRatio = lengthRatio;
        this.lengthOffset = lengthOffset;
    }

    /** The most tokens (eos not counted) a source of {@code sourceTokens} ids without eos may get. */
    public int maxLength(int sourceTokens) {
        return (int) Math.floor(lengthRatio * sourceTokens + lengthOffset);
    }

    /**
     * Translates a batch of sentences.
     *
     * @param sources one row per sentence, ids with the trailing eos, as {@link Seq2SeqModel#encode} takes them
     * @return the output ids of each sentence, without eos, in input order
     */
    public int[][] translate(int[][] sources) {
        EncodedSource encoded = model.encode(sources);
        int n = sources.length;
        int[][] outputs = new int[n][];
        int[] lengths = new int[n];
        int[] active = new int[n];
        int[] previous = new int[n];
        int count = 0;
        for (int s = 0; s < n; s++) {
            outputs[s] = new int[maxLength(sources[s].length - 1)];
            if (outputs[s].length > 0) {
                active[count] = s;
                previous[count++] = ids.bos();
            }
        }
        DecoderState state = model.start(encoded);
        if (count < n && count > 0) {
            state = state.select(Arrays.copyOf(active, count));
        }
        while (count > 0) {
            DecoderStep step = model.step(state, Arrays.copyOf(previous, count));
            int[] best = step.logits().argMax(1).toIntVector();
            int[] keep = new int[count];
            int kept = 0; // compacts active and previous in place (kept <= row)
            for (int row = 0; row < count; row++) {
                int s = active[row];
                if (best[row] != ids.eos()) {
                    outputs[s][lengths[s]++] = best[row];
                    if (lengths[s] < outputs[s].length) {
                        keep[kept] = row;
                        active[kept] = s;
                        previous[kept++] = best[row];
                    }
                }
            }
            if (kept == 0) {
                break;
            }
            state = kept == count ? step.state() : step.state().select(Arrays.copyOf(keep, kept));
            count = kept;
        }
        for (int s = 0; s < n; s++) {
            outputs[s] = Arrays.copyOf(outputs[s], lengths[s]);
        }
        return outputs;
    }
}

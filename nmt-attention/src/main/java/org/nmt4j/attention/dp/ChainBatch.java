package org.nmt4j.attention.dp;

/**
 * The shape of a batch of linear chains stored in one flat row-major array {@code [batch][maxLength][S][S]}:
 * chain b uses steps {@code 0 .. lengths[b]-1}; the rest is padding that no operator reads.
 */
public final class ChainBatch {

    private final int batch;
    private final int maxLength;
    private final int states;
    private final int[] lengths;

    /** Validates and wraps the shape; lengths are copied. */
    public ChainBatch(int batch, int maxLength, int states, int[] lengths) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (states < 1) {
            throw new IllegalArgumentException("number of states S must be at least 1, got " + states);
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " entries for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > maxLength) {
                throw new IllegalArgumentException("chain " + b + " has length " + lengths[b]
                        + "; lengths must lie in [1, " + maxLength + "] (zero-length chains have no value)");
            }
        }
        this.batch = batch;
        this.maxLength = maxLength;
        this.states = states;
        this.lengths = lengths.clone();
    }

    /** A batch of one chain that uses all {@code length} steps. */
    public static ChainBatch single(int length, int states) {
        return new ChainBatch(1, length, states, new int[] {length});
    }

    public int batch() {
        return batch;
    }

    public int maxLength() {
        return maxLength;
    }

    public int states() {
        return states;
    }

    public int length(int b) {
        return lengths[b];
    }

    /** Number of potentials in the flat array: batch · maxLength · S · S. */
    public int size() {
        return batch * maxLength * states * states;
    }

    /** Offset of {@code theta[b][t][0][0]}. */
    int offset(int b, int t) {
        return (b * maxLength + t) * states * states;
    }

    /** Checks that a flat array has this shape and that every potential a chain reads is finite. */
    void checkPotentials(String what, double[] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException(what + " has " + values.length + " entries, expected "
                    + batch + "x" + maxLength + "x" + states + "x" + states + " = " + size());
        }
        int ss = states * states;
        for (int b = 0; b < batch; b++) {
            int end = offset(b, lengths[b]);
            for (int k = offset(b, 0); k < end; k++) {
                if (!Double.isFinite(values[k])) {
                    int t = (k - offset(b, 0)) / ss;
                    throw new IllegalArgumentException(what + " of chain " + b + " at step " + t
                            + " is " + values[k] + "; potentials must be finite");
                }
            }
        }
    }
}

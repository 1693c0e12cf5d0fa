package org.nmt4j.serve.search;

/**
 * The k best of a stream of scored candidates, best first: a higher score is better, and among equal scores the
 * candidate offered first (so, offered in index order, the lower index). Reusable with {@link #reset}.
 */
final class TopK {

    private final double[] scores;
    private final int[] indices;
    private int capacity;
    private int size;

    /** Room for at most {@code maxK} candidates. */
    TopK(int maxK) {
        scores = new double[maxK];
        indices = new int[maxK];
    }

    /** Empties the selection and keeps the best {@code k} (1 to {@code maxK}) from now on. */
    void reset(int k) {
        capacity = k;
        size = 0;
    }

    void offer(double score, int index) {
        if (size == capacity && !(score > scores[size - 1])) {
            return;
        }
        int at = size == capacity ? size - 1 : size++;
        while (at > 0 && score > scores[at - 1]) {
            scores[at] = scores[at - 1];
            indices[at] = indices[at - 1];
            at--;
        }
        scores[at] = score;
        indices[at] = index;
    }

    int size() {
        return size;
    }

    /** Score of the i-th best. */
    double score(int i) {
        return scores[i];
    }

    /** Index of the i-th best. */
    int index(int i) {
        return indices[i];
    }
}

package org.nmt4j.train.model;

import java.util.stream.IntStream;

/**
 * Shares the rows of a matrix between the cores, for loops whose rows are independent: consecutive parts of at
 * least {@value #MIN_ROWS} rows (or another minimum), one per core at most, run by a parallel stream (the calling
 * thread and the common fork-join pool).
 */
final class RowParts {

    /** The fewest rows worth a thread of their own. */
    static final int MIN_ROWS = 64;

    private RowParts() {
    }

    /** What runs on one part. */
    interface Body {
        void run(int part, int from, int to);
    }

    /** The number of parts {@code rows} rows are split into. */
    static int count(int rows) {
        return count(rows, MIN_ROWS);
    }

    /** The number of parts {@code rows} rows are split into with parts of at least {@code minRows} rows. */
    static int count(int rows, int minRows) {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), rows / minRows));
    }

    /** Runs {@code body} on each part {@code [from, to)} of {@code rows} rows, in parallel. */
    static void forEach(int rows, Body body) {
        forEach(rows, MIN_ROWS, body);
    }

    /** Runs {@code body} on each part {@code [from, to)} of at least {@code minRows} of {@code rows} rows. */
    static void forEach(int rows, int minRows, Body body) {
        int parts = count(rows, minRows);
        IntStream.range(0, parts).parallel().forEach(part -> body.run(part, (int) ((long) rows * part / parts),
                (int) ((long) rows * (part + 1) / parts)));
    }
}

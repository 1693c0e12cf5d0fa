package org.nmt4j.attention.dp;

import java.util.stream.IntStream;

/** Splits independent work items (chains, rows) into contiguous chunks run on the common fork-join pool. */
public final class Parallel {

    /** Work on the items {@code [from, to)}, with scratch buffers allocated once per chunk. */
    public interface RangeTask {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /**
     * Runs {@code task} over {@code [0, n)}; items are grouped so that each chunk carries at least
     * {@code minCellsPerChunk} cells of work ({@code cellsPerItem} each), and runs on the calling thread
     * when there is too little work to be worth a hand-off.
     */
    public static void forRange(int n, long cellsPerItem, long minCellsPerChunk, RangeTask task) {
        int threads = Runtime.getRuntime().availableProcessors();
        long totalCells = Math.max(1, n * Math.max(1, cellsPerItem));
        int chunks = (int) Math.min(Math.min(n, 4L * threads), Math.max(1, totalCells / minCellsPerChunk));
        if (chunks <= 1) {
            task.run(0, n);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            task.run(from, to);
        });
    }
}

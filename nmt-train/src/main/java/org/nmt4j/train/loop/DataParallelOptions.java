package org.nmt4j.train.loop;

/**
 * How {@code nmt train --spark-master …} spreads training over workers.
 *
 * @param master             Spark master URL, e.g. {@code local[2]}, {@code spark://host:7077}, {@code yarn}
 * @param workers            parallel workers (0: Spark's default parallelism, i.e. the cores it was given)
 * @param averagingFrequency local updates each worker makes between two parameter averagings (≥ 1)
 * @param batchSentences     sentences per worker batch (0: derived from {@code train.batch_tokens})
 */
public record DataParallelOptions(String master, int workers, int averagingFrequency, int batchSentences) {

    public DataParallelOptions {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("the Spark master URL is empty");
        }
        if (workers < 0 || averagingFrequency < 1 || batchSentences < 0) {
            throw new IllegalArgumentException("need workers >= 0, averaging frequency >= 1 and batch sentences >= 0,"
                    + " got " + workers + ", " + averagingFrequency + ", " + batchSentences);
        }
    }
}

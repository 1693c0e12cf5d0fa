package org.nmt4j.core.data;

/**
 * Counts from reading a parallel corpus: every line pair read is either accepted or dropped for one reason.
 *
 * @param linesRead line pairs read
 * @param accepted pairs passed on
 * @param emptySkipped pairs with an empty (or blank) line on either side
 * @param tooLongSkipped pairs with a side over the {@link LengthLimits}
 */
public record CorpusStats(long linesRead, long accepted, long emptySkipped, long tooLongSkipped) {

    @Override
    public String toString() {
        return linesRead + " line pairs read, " + accepted + " accepted, " + emptySkipped + " empty skipped, "
                + tooLongSkipped + " too long skipped";
    }
}

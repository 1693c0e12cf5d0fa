package org.nmt4j.core.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams aligned pairs from two line-aligned UTF-8 files (line {@code i} of one translates line {@code i} of the
 * other), holding one pair in memory at a time.
 *
 * <p>Malformed UTF-8 and files of different lengths are {@link CorpusFormatException}s naming the file(s) and line.
 * Pairs with an empty (or whitespace-only) side, or a side over the {@link LengthLimits}, are skipped and counted
 * in {@link #stats()}. Text is passed on as it is (no trimming).
 */
public final class ParallelTextReader implements Closeable {

    private final Utf8LineReader source;
    private final Utf8LineReader target;
    private final LengthLimits limits;
    private long linesRead;
    private long accepted;
    private long empty;
    private long tooLong;

    private ParallelTextReader(Utf8LineReader source, Utf8LineReader target, LengthLimits limits) {
        this.source = source;
        this.target = target;
        this.limits = limits;
    }

    /** Opens both files; a missing file is a {@link java.nio.file.NoSuchFileException}. */
    public static ParallelTextReader open(Path sourceFile, Path targetFile, LengthLimits limits) throws IOException {
        Utf8LineReader src = new Utf8LineReader(sourceFile);
        try {
            return new ParallelTextReader(src, new Utf8LineReader(targetFile), limits);
        } catch (IOException | RuntimeException e) {
            src.close();
            throw e;
        }
    }

    /** The two files, as "SOURCE and TARGET", for messages. */
    public String describeFiles() {
        return source.file() + " and " + target.file();
    }

    /** The next accepted pair, or {@code null} when both files are exhausted. */
    public SentencePair next() throws IOException {
        while (true) {
            String s = source.readLine();
            String t = target.readLine();
            if (s == null && t == null) {
                return null;
            }
            if (s == null || t == null) {
                Utf8LineReader ended = s == null ? source : target;
                Utf8LineReader longer = s == null ? target : source;
                throw new CorpusFormatException(longer.file(), longer.lineNumber(), "line counts differ: "
                        + ended.file() + " ends after " + ended.lineNumber() + " lines but " + longer.file()
                        + " goes on");
            }
            long index = linesRead++;
            if (s.isBlank() || t.isBlank()) {
                empty++;
            } else if (!limits.accepts(s) || !limits.accepts(t)) {
                tooLong++;
            } else {
                accepted++;
                return new SentencePair(index, s, t);
            }
        }
    }

    /** Counts so far (final once {@link #next()} has returned {@code null}). */
    public CorpusStats stats() {
        return new CorpusStats(linesRead, accepted, empty, tooLong);
    }

    @Override
    public void close() throws IOException {
        try {
            source.close();
        } finally {
            target.close();
        }
    }
}

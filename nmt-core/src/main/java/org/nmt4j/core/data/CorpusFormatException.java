package org.nmt4j.core.data;

import java.io.IOException;
import java.nio.file.Path;

/** A corpus file that cannot be used as it is: malformed UTF-8, or parallel files of different lengths. */
public final class CorpusFormatException extends IOException {

    private final Path file;
    private final long lineNumber;

    /**
     * @param file the offending file
     * @param lineNumber 1-based line number of the problem
     * @param problem what is wrong, without file or line (they are added)
     */
    public CorpusFormatException(Path file, long lineNumber, String problem) {
        super(file + " line " + lineNumber + ": " + problem);
        this.file = file;
        this.lineNumber = lineNumber;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number. */
    public long lineNumber() {
        return lineNumber;
    }
}

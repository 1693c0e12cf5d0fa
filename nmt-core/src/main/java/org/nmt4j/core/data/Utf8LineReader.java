package org.nmt4j.core.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a file line by line with strict UTF-8 decoding: a malformed or unmappable byte sequence is a
 * {@link CorpusFormatException} naming the file and the line. Lines end at {@code \n}; a trailing {@code \r} is
 * dropped. Holds one line in memory at a time.
 *
 * <p>Each line's bytes are decoded separately (a {@code \n} byte never occurs inside a UTF-8 sequence), so the
 * reported line is exact, unlike a {@code BufferedReader}, whose decoder fails on read-ahead.
 */
public final class Utf8LineReader implements Closeable {

    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[256];
    private CharBuffer chars = CharBuffer.allocate(256);
    private long lineNumber;

    public Utf8LineReader(Path file) throws IOException {
        this.file = file;
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    /** The next line without its terminator, or {@code null} at the end of the file. */
    public String readLine() throws IOException {
        int length = 0;
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, length * 2);
            }
            buffer[length++] = (byte) b;
            b = in.read();
        }
        lineNumber++;
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        if (chars.capacity() < length) {
            chars = CharBuffer.allocate(buffer.length); // UTF-8 never decodes to more chars than bytes
        }
        chars.clear();
        CoderResult result = decoder.reset().decode(bytes, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            throw new CorpusFormatException(file, lineNumber, "invalid UTF-8 at byte " + (bytes.position() + 1)
                    + " of the line");
        }
        return chars.flip().toString();
    }

    /** 1-based number of the line last returned (0 before the first). */
    public long lineNumber() {
        return lineNumber;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

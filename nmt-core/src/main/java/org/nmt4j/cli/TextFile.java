package org.nmt4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a UTF-8 text file as lines the way sacreBLEU does: lines end at '\n' only (a '\r' stays in
 * the line, as Python's {@code open(newline="\n")} keeps it), and a final newline does not start
 * an extra line. Invalid UTF-8 is an error naming the file and line.
 */
public final class TextFile {

    private TextFile() {
    }

    /**
     * The lines of {@code path}.
     *
     * @throws IOException if the file cannot be read or is not valid UTF-8
     */
    public static List<String> readLines(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": no such file");
        } catch (IOException e) {
            throw new IOException(path + ": cannot read: " + e.getMessage(), e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            try {
                lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
            } catch (CharacterCodingException e) {
                throw new IOException(path + ":" + (lines.size() + 1) + ": invalid UTF-8");
            }
            start = end + 1;
        }
        return lines;
    }
}

package org.nmt4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelTextReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<SentencePair> readAll(ParallelTextReader r) throws IOException {
        List<SentencePair> pairs = new ArrayList<>();
        for (SentencePair p = r.next(); p != null; p = r.next()) {
            pairs.add(p);
        }
        return pairs;
    }

    @Test
    void readsAlignedPairsWithLineIndicesAndCrlf() throws IOException {
        Path s = write("a.es", "hola\r\nmañana\nárbol grande\n");
        Path t = write("a.en", "hello\r\ntomorrow\nbig tree\n");
        try (ParallelTextReader r = ParallelTextReader.open(s, t, LengthLimits.NONE)) {
            List<SentencePair> pairs = readAll(r);
            assertEquals(List.of(new SentencePair(0, "hola", "hello"), new SentencePair(1, "mañana", "tomorrow"),
                    new SentencePair(2, "árbol grande", "big tree")), pairs);
            assertEquals(new CorpusStats(3, 3, 0, 0), r.stats());
            assertNull(r.next());
        }
    }

    @Test
    void malformedUtf8NamesFileAndLine() throws IOException {
        Path s = write("ok.es", "uno\ndos\ntres\ncuatro\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("one\ntwo\nthr".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3); // lead byte of a 2-byte sequence followed by ASCII: malformed
        bytes.writeBytes("e\nfour\n".getBytes(StandardCharsets.UTF_8));
        Path t = Files.write(dir.resolve("bad.en"), bytes.toByteArray());
        try (ParallelTextReader r = ParallelTextReader.open(s, t, LengthLimits.NONE)) {
            assertEquals("one", r.next().target());
            assertEquals("two", r.next().target());
            CorpusFormatException e = assertThrows(CorpusFormatException.class, r::next);
            assertEquals(t, e.file());
            assertEquals(3, e.lineNumber());
            assertTrue(e.getMessage().contains("bad.en line 3: invalid UTF-8 at byte 4"), e.getMessage());
        }
    }

    @Test
    void malformedUtf8InALongLineAfterManyLinesIsReportedOnItsLine() throws IOException {
        StringBuilder good = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            good.append("línea número ").append(i).append('\n');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(good.toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("x".repeat(300).getBytes(StandardCharsets.UTF_8));
        bytes.write(0xFF);
        bytes.write('\n');
        Path s = Files.write(dir.resolve("big.es"), bytes.toByteArray());
        Path t = write("big.en", good + "y\n");
        try (ParallelTextReader r = ParallelTextReader.open(s, t, LengthLimits.NONE)) {
            CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> readAll(r));
            assertEquals(5001, e.lineNumber());
            assertTrue(e.getMessage().contains("byte 301"), e.getMessage());
        }
    }

    @Test
    void mismatchedLineCountsNameBothFilesAndTheLine() throws IOException {
        Path s = write("short.es", "a\nb\n");
        Path t = write("long.en", "A\nB\nC\nD\n");
        try (ParallelTextReader r = ParallelTextReader.open(s, t, LengthLimits.NONE)) {
            CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> readAll(r));
            assertEquals(t, e.file());
            assertEquals(3, e.lineNumber());
            assertTrue(e.getMessage().contains("short.es ends after 2 lines"), e.getMessage());
            assertTrue(e.getMessage().contains("long.en line 3"), e.getMessage());
        }
        try (ParallelTextReader r = ParallelTextReader.open(t, s, LengthLimits.NONE)) {
            CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> readAll(r));
            assertEquals(t, e.file());
        }
    }

    @Test
    void emptyLinesOnEitherSideAreSkippedAndCounted() throws IOException {
        Path s = write("e.es", "uno\n\ntres\n  \ncinco\n");
        Path t = write("e.en", "one\ntwo\n\nfour\nfive\n");
        try (ParallelTextReader r = ParallelTextReader.open(s, t, LengthLimits.NONE)) {
            List<SentencePair> pairs = readAll(r);
            assertEquals(List.of(0L, 4L), pairs.stream().map(SentencePair::lineIndex).toList());
            assertEquals(new CorpusStats(5, 2, 3, 0), r.stats());
        }
    }

    @Test
    void overLongPairsAreFilteredAndCounted() throws IOException {
        Path s = write("l.es", "a b c\na b c d e\nabcdefghijkl\nok\n");
        Path t = write("l.en", "x\ny\nz\nok ok ok ok\n");
        try (ParallelTextReader r = ParallelTextReader.open(s, t, new LengthLimits(11, 4))) {
            List<SentencePair> pairs = readAll(r);
            assertEquals(List.of(0L, 3L), pairs.stream().map(SentencePair::lineIndex).toList());
            assertEquals(new CorpusStats(4, 2, 0, 2), r.stats());
        }
    }

    @Test
    void missingFileIsNoSuchFile() throws IOException {
        Path s = write("x.es", "a\n");
        assertThrows(NoSuchFileException.class,
                () -> ParallelTextReader.open(s, dir.resolve("missing.en"), LengthLimits.NONE));
    }
}

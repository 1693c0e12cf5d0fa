package org.nmt4j.core.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {

    private static final String TRAINER_JSON = "{\"step\":1200,\"epoch\":3,\"iterator\":{\"position\":17}}";

    @TempDir
    Path dir;

    /** Parameters in a deliberately non-alphabetical order, of several dtypes, one a view and one in 'f' order. */
    private static Checkpoint sample(long seed, INDArray optimizerState) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("encoder_0_fW", Nd4j.rand(DataType.FLOAT, 4, 6));
        params.put("decoder_b", Nd4j.rand(DataType.DOUBLE, 1, 5));
        params.put("attention_W", Nd4j.rand(DataType.FLOAT, 3, 3).dup('f'));
        params.put("embedding_row", Nd4j.rand(DataType.FLOAT, 5, 7).getRow(2));
        params.put("counts", Nd4j.createFromArray(new long[] {3, -1, 7}));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.yaml", "model:\n  hidden: 8\n".getBytes(UTF_8));
        byte[] spm = new byte[300];
        new Random(seed).nextBytes(spm);
        files.put("spm.model", spm);
        return new Checkpoint(params, optimizerState, TRAINER_JSON, files);
    }

    private static void assertSameArray(INDArray expected, INDArray actual, String what) {
        assertNotNull(actual, what);
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertTrue(expected.equalsWithEps(actual, 0.0), what + ": " + expected + " vs " + actual);
    }

    private static void assertSameCheckpoint(Checkpoint expected, Checkpoint actual) {
        assertEquals(List.copyOf(expected.parameters().keySet()), List.copyOf(actual.parameters().keySet()));
        expected.parameters().forEach((name, p) -> assertSameArray(p, actual.parameters().get(name), name));
        if (expected.optimizerState() == null) {
            assertNull(actual.optimizerState());
        } else {
            assertSameArray(expected.optimizerState(), actual.optimizerState(), "optimizer state");
        }
        assertEquals(expected.trainerStateJson(), actual.trainerStateJson());
        assertEquals(List.copyOf(expected.files().keySet()), List.copyOf(actual.files().keySet()));
        expected.files().forEach((name, bytes) -> assertArrayEquals(bytes, actual.files().get(name), name));
    }

    private Path written(Checkpoint checkpoint, String name) throws IOException {
        Path file = dir.resolve(name);
        checkpoint.write(file);
        return file;
    }

    private static CheckpointException refused(Path file) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(file, e.file());
        return e;
    }

    @Test
    void roundTripWithoutOptimizerState() throws IOException {
        Checkpoint checkpoint = sample(1, null);
        assertSameCheckpoint(checkpoint, Checkpoint.read(written(checkpoint, "last.zip")));
    }

    @Test
    void roundTripWithOptimizerState() throws IOException {
        Checkpoint checkpoint = sample(2, Nd4j.rand(DataType.FLOAT, 1, 250));
        assertSameCheckpoint(checkpoint, Checkpoint.read(written(checkpoint, "last.zip")));
    }

    @Test
    void manifestListsEveryEntryWithShapeDtypeAndDigest() throws IOException {
        Path file = written(sample(3, null), "last.zip");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var manifest = new ObjectMapper().readTree(zip.getInputStream(zip.getEntry("manifest.json")));
            assertEquals(Checkpoint.FORMAT_VERSION, manifest.get("format_version").asInt());
            var first = manifest.get("parameters").get(0);
            assertEquals("encoder_0_fW", first.get("name").asText());
            assertEquals("params/encoder_0_fW", first.get("path").asText());
            assertEquals("FLOAT", first.get("dtype").asText());
            assertEquals("[4,6]", first.get("shape").toString());
            assertEquals(64, first.get("sha256").asText().length());
            assertNotNull(zip.getEntry("files/spm.model"));
        }
    }

    @Test
    void overwritingReplacesThePreviousCheckpoint() throws IOException {
        Path file = written(sample(4, null), "last.zip");
        Checkpoint newer = sample(5, null);
        newer.write(file);
        assertSameCheckpoint(newer, Checkpoint.read(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void aCopyReplacesTheTargetWithTheSameCheckpoint() throws IOException {
        Checkpoint checkpoint = sample(6, Nd4j.createFromArray(1f, 2f, 3f));
        Path last = written(checkpoint, "last.zip");
        Path best = written(sample(7, null), "best.zip");
        Checkpoint.copy(last, best);
        assertSameCheckpoint(checkpoint, Checkpoint.read(best));
        assertEquals(2, listDir().size(), "no temporary file left: " + listDir());
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        Path file = written(sample(6, null), "last.zip");
        byte[] bytes = Files.readAllBytes(file);
        int n = bytes.length;
        for (int length : new int[] {0, 1, 30, n / 3, n / 2, n - 100, n - 64, n - 22, n - 1}) {
            Path cut = dir.resolve("cut.zip");
            Files.write(cut, Arrays.copyOf(bytes, length));
            refused(cut);
        }
    }

    @Test
    void everySingleFlippedBitIsRefused() throws IOException {
        Path file = written(sample(7, null), "last.zip");
        byte[] bytes = Files.readAllBytes(file);
        Path bad = dir.resolve("bad.zip");
        for (int i = 0; i < bytes.length; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= 1 << (i % 8);
            Files.write(bad, flipped);
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(bad),
                    "flipped byte " + i + " of " + bytes.length);
            assertTrue(e.getMessage().startsWith("checkpoint " + bad + " "), e.getMessage());
        }
    }

    @Test
    void aFlippedParameterByteNamesTheEntry() throws IOException {
        Path file = written(sample(8, null), "last.zip");
        byte[] bytes = Files.readAllBytes(file);
        bytes[dataOffset(bytes, "params/encoder_0_fW") + 60] ^= 0x40;
        Files.write(file, bytes);
        assertTrue(refused(file).getMessage().endsWith("entry params/encoder_0_fW failed its SHA-256 check"));
    }

    /** Offset of an entry's data, from its local file header. */
    private static int dataOffset(byte[] zip, String entry) {
        byte[] name = entry.getBytes(UTF_8);
        for (int i = 30; i + name.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + name.length, name, 0, name.length)
                    && zip[i - 30] == 'P' && zip[i - 29] == 'K' && zip[i - 28] == 3 && zip[i - 27] == 4) {
                int extra = (zip[i - 2] & 0xff) | (zip[i - 1] & 0xff) << 8;
                return i + name.length + extra;
            }
        }
        throw new AssertionError("no local header for " + entry);
    }

    @Test
    void anotherFormatVersionIsRefused() throws IOException {
        Path file = written(sample(9, null), "last.zip");
        Path future = dir.resolve("future.zip");
        ObjectMapper json = new ObjectMapper();
        try (ZipFile in = new ZipFile(file.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(future))) {
            for (ZipEntry entry : in.stream().toList()) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("manifest.json")) {
                    ObjectNode manifest = (ObjectNode) json.readTree(bytes);
                    bytes = json.writeValueAsBytes(manifest.put("format_version", 2));
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertTrue(refused(future).getMessage().contains("has format version 2; this version of nmt4j reads format "
                + "version 1"));
    }

    @Test
    void aFileThatIsNotAZipIsRefused() throws IOException {
        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "step,train_loss\n1,7.5\n".repeat(20));
        assertTrue(refused(text).getMessage().contains("is truncated, corrupted or not a zip file"));
    }

    @Test
    void aZipWithoutManifestIsRefused() throws IOException {
        Path other = dir.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(other))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("hello".getBytes(UTF_8));
        }
        assertTrue(refused(other).getMessage().contains("is not an nmt4j checkpoint: it has no manifest.json"));
    }

    @Test
    void aMissingFileIsRefused() {
        assertTrue(refused(dir.resolve("nowhere.zip")).getMessage().contains("does not exist"));
    }

    @Test
    void averageIsTheElementWiseMean() throws IOException {
        List<Checkpoint> checkpoints = List.of(sample(10, null), sample(11, null), sample(12, Nd4j.rand(1, 9)));
        List<Path> files = List.of(written(checkpoints.get(0), "a.zip"), written(checkpoints.get(1), "b.zip"),
                written(checkpoints.get(2), "c.zip"));
        Map<String, INDArray> mean = Checkpoint.average(files);
        assertEquals(List.copyOf(checkpoints.get(0).parameters().keySet()), List.copyOf(mean.keySet()));
        for (String name : mean.keySet()) {
            INDArray p0 = checkpoints.get(0).parameters().get(name);
            double[] a = p0.dup('c').data().asDouble();
            double[] b = checkpoints.get(1).parameters().get(name).dup('c').data().asDouble();
            double[] c = checkpoints.get(2).parameters().get(name).dup('c').data().asDouble();
            INDArray m = mean.get(name);
            assertEquals(p0.dataType(), m.dataType(), name);
            assertArrayEquals(p0.shape(), m.shape(), name);
            double[] actual = m.dup('c').data().asDouble();
            for (int i = 0; i < a.length; i++) {
                assertEquals((a[i] + b[i] + c[i]) / 3, actual[i], 1e-6, name + "[" + i + "]");
            }
        }
    }

    @Test
    void averagingRefusesDifferentNames() throws IOException {
        Path a = written(sample(13, null), "a.zip");
        Map<String, INDArray> params = new LinkedHashMap<>(sample(14, null).parameters());
        params.put("decoder_c", params.remove("decoder_b"));
        Path b = written(new Checkpoint(params, null, "{}", Map.of()), "b.zip");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.average(List.of(a, b)));
        assertEquals("checkpoint " + b + " cannot be averaged with " + a + ": it lacks parameters [decoder_b] "
                + "and has others [decoder_c]", e.getMessage());
    }

    @Test
    void averagingRefusesDifferentShapes() throws IOException {
        Path a = written(sample(15, null), "a.zip");
        Map<String, INDArray> params = new LinkedHashMap<>(sample(16, null).parameters());
        params.put("encoder_0_fW", Nd4j.rand(DataType.FLOAT, 6, 4));
        Path b = written(new Checkpoint(params, null, "{}", Map.of()), "b.zip");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.average(List.of(a, b)));
        assertEquals("checkpoint " + b + " cannot be averaged with " + a + ": parameter encoder_0_fW is FLOAT [6, 4] "
                + "here but FLOAT [4, 6] there", e.getMessage());
    }

    /** Fails like a full disk once {@code limit} bytes have gone through. */
    private static OutputStream diskFullAfter(OutputStream out, int limit) {
        return new FilterOutputStream(out) {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > limit) {
                    throw new IOException("No space left on device");
                }
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        };
    }

    @Test
    void anInterruptedWriteKeepsThePreviousCheckpointAndLeavesNoTemporaryFile() throws IOException {
        Checkpoint previous = sample(17, null);
        Path file = written(previous, "last.zip");
        for (int limit : new int[] {0, 100, 700}) {
            IOException e = assertThrows(IOException.class,
                    () -> sample(18, null).write(file, out -> diskFullAfter(out, limit)));
            assertEquals("cannot write checkpoint " + file + " (the previous checkpoint is kept): No space left on "
                    + "device", e.getMessage());
            assertSameCheckpoint(previous, Checkpoint.read(file));
            assertEquals(List.of(file), listDir());
        }
    }

    @Test
    void anInterruptedFirstWriteLeavesNothing() {
        Path file = dir.resolve("last.zip");
        assertThrows(IOException.class, () -> sample(19, null).write(file, out -> diskFullAfter(out, 500)));
        assertEquals(List.of(), listDir());
    }

    private List<Path> listDir() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

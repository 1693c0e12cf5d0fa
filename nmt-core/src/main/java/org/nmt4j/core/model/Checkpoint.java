package org.nmt4j.core.model;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained encoder-decoder saved as one zip file: the parameters, optionally the optimizer state for resuming, the
 * trainer's state as opaque JSON, and side files such as {@code config.yaml} and {@code spm.model}.
 *
 * <p>Zip entries, all stored uncompressed:
 * <pre>
 * params/NAME          each parameter in order, ND4J's binary serialisation ({@link Nd4j#write})
 * optimizer_state      DL4J's flat updater state, when present
 * trainer_state.json   the trainer's JSON, UTF-8
 * files/NAME           each side file, byte for byte
 * manifest.json        format, format version, and every entry's size and SHA-256 (arrays: dtype and shape)
 * </pre>
 * The zip comment is the hex SHA-256 of all the bytes before it, so that a changed byte anywhere, zip headers
 * included, is caught. {@link #write} replaces the file atomically; {@link #read} checks everything before it returns
 * anything, and refuses a bad file with a {@link CheckpointException}.
 *
 * @param parameters       parameters by name (such as {@code encoder_0_fW}), in order
 * @param optimizerState   the flat updater state, or null (not needed for inference)
 * @param trainerStateJson JSON text owned by the trainer: step, epoch, data iterator state, metrics
 * @param files            side files by name
 */
public record Checkpoint(Map<String, INDArray> parameters, INDArray optimizerState, String trainerStateJson,
        Map<String, byte[]> files) {

    /** The {@code format} field of every manifest. */
    public static final String FORMAT = "nmt4j-checkpoint";
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final String MANIFEST = "manifest.json";
    private static final int DIGEST_CHARS = 64;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** Keeps both maps in their order, unmodifiable. */
    public Checkpoint {
        Objects.requireNonNull(trainerStateJson, "trainerStateJson");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** One zip entry as the manifest lists it; {@code dtype} and {@code shape} only for arrays. */
    record Entry(String name, String path, long bytes, String sha256, String dtype, long[] shape) {
    }

    /** The contents of {@code manifest.json}. */
    record Manifest(String format, int formatVersion, List<Entry> parameters, Entry optimizerState,
            Entry trainerState, List<Entry> files) {

        Manifest {
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(trainerState, "trainer_state");
            Objects.requireNonNull(files, "files");
        }
    }

    /**
     * Writes the checkpoint to a temporary file next to {@code file}, forces it to disk and renames it over
     * {@code file}. On failure (disk full, say) the temporary file is deleted and a previous {@code file} is untouched.
     *
     * @throws IOException naming the file and saying that the previous checkpoint is kept
     */
    public void write(Path file) throws IOException {
        write(file, out -> out);
    }

    /** {@link #write(Path)} with the temporary file's stream wrapped, so that tests can make it fail midway. */
    void write(Path file, UnaryOperator<OutputStream> wrap) throws IOException {
        atomically(file, tmp -> {
            try (ZipOutputStream zip = new ZipOutputStream(
                    new BufferedOutputStream(wrap.apply(Files.newOutputStream(tmp, CREATE_NEW, WRITE))))) {
                zip.setComment("0".repeat(DIGEST_CHARS));
                writeEntries(zip);
            }
            try (FileChannel channel = FileChannel.open(tmp, READ, WRITE)) {
                long digested = channel.size() - DIGEST_CHARS;
                channel.write(ByteBuffer.wrap(sha256(channel, digested).getBytes(US_ASCII)), digested);
            }
        });
    }

    /**
     * Copies a checkpoint file as safely as {@link #write} writes one (temporary file, forced to disk, renamed),
     * without serialising and hashing the parameters again.
     */
    public static void copy(Path source, Path target) throws IOException {
        atomically(target, tmp -> Files.copy(source, tmp));
    }

    /** Fills a temporary file next to {@code file}, forces it to disk and renames it over {@code file}. */
    private static void atomically(Path file, TemporaryFileWriter writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling(
                "." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            writer.fill(tmp);
            try (FileChannel channel = FileChannel.open(tmp, WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, target, ATOMIC_MOVE, REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("cannot write checkpoint " + target + " (the previous checkpoint is kept): "
                    + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the content of a checkpoint file into a temporary file that does not exist yet. */
    private interface TemporaryFileWriter {
        void fill(Path tmp) throws IOException;
    }

    private void writeEntries(ZipOutputStream zip) throws IOException {
        List<Entry> paramEntries = new ArrayList<>();
        for (Map.Entry<String, INDArray> p : parameters.entrySet()) {
            paramEntries.add(putArray(zip, p.getKey(), "params/" + p.getKey(), p.getValue()));
        }
        Entry optimizer = optimizerState == null ? null : putArray(zip, null, "optimizer_state", optimizerState);
        Entry trainer = put(zip, null, "trainer_state.json", trainerStateJson.getBytes(UTF_8), null);
        List<Entry> fileEntries = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            fileEntries.add(put(zip, f.getKey(), "files/" + f.getKey(), f.getValue(), null));
        }
        Manifest manifest = new Manifest(FORMAT, FORMAT_VERSION, paramEntries, optimizer, trainer, fileEntries);
        store(zip, MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    }

    private static Entry putArray(ZipOutputStream zip, String name, String path, INDArray array) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(array, out);
        }
        return put(zip, name, path, bytes.toByteArray(), array);
    }

    /** Stores an entry and describes it for the manifest; {@code array} (or null) gives the dtype and shape. */
    private static Entry put(ZipOutputStream zip, String name, String path, byte[] bytes, INDArray array)
            throws IOException {
        store(zip, path, bytes);
        return new Entry(name, path, bytes.length, sha256(bytes), array == null ? null : array.dataType().name(),
                array == null ? null : array.shape());
    }

    private static void store(ZipOutputStream zip, String path, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(path);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCrc(crc32(bytes));
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /**
     * Reads a checkpoint written by {@link #write}, with its optimizer state.
     *
     * @throws CheckpointException when the file is missing, truncated, corrupted, of another format version, not a
     *         checkpoint, or cannot be read; nothing is returned then
     */
    public static Checkpoint read(Path file) throws CheckpointException {
        return read(file, true);
    }

    private static Checkpoint read(Path file, boolean withOptimizerState) throws CheckpointException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "does not exist or is not a regular file");
        }
        try (ZipFile zip = openZip(file)) {
            Manifest manifest = readManifest(file, zip);
            Map<String, INDArray> params = new LinkedHashMap<>();
            for (Entry e : manifest.parameters()) {
                params.put(e.name(), readArray(file, zip, e));
            }
            INDArray optimizer = withOptimizerState && manifest.optimizerState() != null
                    ? readArray(file, zip, manifest.optimizerState()) : null;
            String trainer = new String(readChecked(file, zip, manifest.trainerState()), UTF_8);
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (Entry e : manifest.files()) {
                files.put(e.name(), readChecked(file, zip, e));
            }
            checkFileDigest(file);
            return new Checkpoint(params, optimizer, trainer, files);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static ZipFile openZip(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(file, "is truncated, corrupted or not a zip file (" + e.getMessage() + ")",
                    e);
        }
    }

    private static Manifest readManifest(Path file, ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(MANIFEST);
        if (entry == null) {
            throw new CheckpointException(file, "is not an nmt4j checkpoint: it has no " + MANIFEST);
        }
        byte[] bytes = readRaw(file, zip, MANIFEST);
        if (crc32(bytes) != entry.getCrc()) {
            throw new CheckpointException(file, "entry " + MANIFEST + " failed its CRC-32 check");
        }
        try {
            JsonNode tree = JSON.readTree(bytes);
            if (!FORMAT.equals(tree.path("format").asText())) {
                throw new CheckpointException(file, "is not an nmt4j checkpoint: its " + MANIFEST + " has format "
                        + tree.path("format") + ", not \"" + FORMAT + "\"");
            }
            if (tree.path("format_version").asInt(-1) != FORMAT_VERSION) {
                throw new CheckpointException(file, "has format version " + tree.path("format_version")
                        + "; this version of nmt4j reads format version " + FORMAT_VERSION);
            }
            return JSON.treeToValue(tree, Manifest.class);
        } catch (JacksonException e) {
            throw new CheckpointException(file, "has an invalid " + MANIFEST + ": " + e.getOriginalMessage(), e);
        }
    }

    private static INDArray readArray(Path file, ZipFile zip, Entry entry) throws IOException {
        INDArray array;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(readChecked(file, zip, entry)))) {
            array = Nd4j.read(in);
        }
        if (!array.dataType().name().equals(entry.dtype()) || !Arrays.equals(array.shape(), entry.shape())) {
            throw new CheckpointException(file, "entry " + entry.path() + " holds a " + describe(array)
                    + " array but the manifest says " + entry.dtype() + " " + Arrays.toString(entry.shape()));
        }
        return array;
    }

    /** The bytes of an entry listed in the manifest, after checking their size and SHA-256. */
    private static byte[] readChecked(Path file, ZipFile zip, Entry entry) throws IOException {
        byte[] bytes = readRaw(file, zip, entry.path());
        if (bytes.length != entry.bytes() || !sha256(bytes).equals(entry.sha256())) {
            throw new CheckpointException(file, "entry " + entry.path() + " failed its SHA-256 check");
        }
        return bytes;
    }

    private static byte[] readRaw(Path file, ZipFile zip, String path) throws IOException {
        ZipEntry entry = zip.getEntry(path);
        if (entry == null) {
            throw new CheckpointException(file, "has no entry " + path);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw new CheckpointException(file, "entry " + path + " is corrupted (" + e.getMessage() + ")", e);
        }
    }

    /** Checks the zip comment, the SHA-256 of everything before it. */
    private static void checkFileDigest(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            long digested = channel.size() - DIGEST_CHARS;
            if (digested < 0 || !sha256(channel, digested).equals(new String(
                    Channels.newInputStream(channel.position(digested)).readNBytes(DIGEST_CHARS), US_ASCII))) {
                throw new CheckpointException(file, "is corrupted: the SHA-256 of the file does not match the one "
                        + "stored at its end");
            }
        }
    }

    /**
     * The element-wise mean of the parameters of several checkpoints (averaging the last or best N), summed in double
     * precision and returned in the first checkpoint's order and dtypes. Optimizer states are not read.
     *
     * @throws CheckpointException when a checkpoint cannot be read, or its parameter names, shapes or dtypes differ
     *         from the first one's
     */
    public static Map<String, INDArray> average(List<Path> checkpoints) throws CheckpointException {
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("no checkpoints to average");
        }
        Path first = checkpoints.get(0);
        Map<String, INDArray> reference = read(first, false).parameters();
        Map<String, INDArray> sums = new LinkedHashMap<>();
        reference.forEach((name, p) -> sums.put(name, p.castTo(DataType.DOUBLE)));
        for (Path other : checkpoints.subList(1, checkpoints.size())) {
            Map<String, INDArray> params = read(other, false).parameters();
            checkSameLayout(first, reference, other, params);
            params.forEach((name, p) -> sums.get(name).addi(p.castTo(DataType.DOUBLE)));
        }
        Map<String, INDArray> mean = new LinkedHashMap<>();
        sums.forEach((name, sum) ->
                mean.put(name, sum.divi(checkpoints.size()).castTo(reference.get(name).dataType())));
        return mean;
    }

    private static void checkSameLayout(Path first, Map<String, INDArray> expected, Path other,
            Map<String, INDArray> actual) throws CheckpointException {
        String problem = "cannot be averaged with " + first + ": ";
        if (!expected.keySet().equals(actual.keySet())) {
            Set<String> missing = new TreeSet<>(expected.keySet());
            missing.removeAll(actual.keySet());
            Set<String> extra = new TreeSet<>(actual.keySet());
            extra.removeAll(expected.keySet());
            throw new CheckpointException(other, problem + "it lacks parameters " + missing + " and has others "
                    + extra);
        }
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            INDArray a = actual.get(e.getKey());
            if (a.dataType() != e.getValue().dataType() || !Arrays.equals(a.shape(), e.getValue().shape())) {
                throw new CheckpointException(other, problem + "parameter " + e.getKey() + " is " + describe(a)
                        + " here but " + describe(e.getValue()) + " there");
            }
        }
    }

    private static String describe(INDArray array) {
        return array.dataType() + " " + Arrays.toString(array.shape());
    }

    private static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** SHA-256 of the first {@code length} bytes of the channel, in hex. */
    private static String sha256(FileChannel channel, long length) throws IOException {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        for (long position = 0; position < length; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("file shorter than expected");
            }
            digest.update(buffer.flip());
            position += n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nmt4j.core.model.Checkpoint;

/**
 * Writes every parameter of an nmt4j checkpoint as a NumPy .npy file (float32, little-endian, C order, the shape DL4J
 * gives it) into an output directory, plus params.json listing names, shapes and dtypes in checkpoint order. The
 * optimizer state is not exported. For seq2seq_translate.py, which must not parse ND4J's binary format.
 * Usage: java -cp "$(cat nmt-serve/target/nmt.classpath)" benchmarks/pytorch/ExportWeights.java CHECKPOINT.zip OUT_DIR
 */
public class ExportWeights {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ExportWeights CHECKPOINT.zip OUT_DIR");
            System.exit(2);
        }
        Checkpoint checkpoint = Checkpoint.read(Path.of(args[0]));
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        StringBuilder json = new StringBuilder("{\n  \"checkpoint\": \"" + args[0] + "\",\n  \"parameters\": [\n");
        int i = 0;
        long total = 0;
        for (Map.Entry<String, INDArray> e : checkpoint.parameters().entrySet()) {
            String name = e.getKey();
            INDArray value = e.getValue();
            long[] shape = value.shape();
            float[] data = value.castTo(DataType.FLOAT).dup('c').data().asFloat();
            if (data.length != value.length()) {
                throw new IllegalStateException(name + ": " + data.length + " values for shape "
                        + Arrays.toString(shape));
            }
            writeNpy(out.resolve(name + ".npy"), shape, data);
            total += data.length;
            json.append(i++ == 0 ? "" : ",\n").append("    {\"name\": \"").append(name).append("\", \"shape\": [")
                    .append(Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ")))
                    .append("], \"stored_dtype\": \"").append(value.dataType()).append("\"}");
            System.err.printf("%-40s %-20s %s%n", name, Arrays.toString(shape), value.dataType());
        }
        json.append("\n  ]\n}\n");
        Files.writeString(out.resolve("params.json"), json.toString());
        System.err.println(i + " parameters, " + total + " values, written to " + out);
    }

    private static void writeNpy(Path file, long[] shape, float[] data) throws Exception {
        String dims = shape.length == 1 ? shape[0] + ","
                : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims
                + "), }");
        // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             DataOutputStream dos = new DataOutputStream(os)) {
            dos.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            dos.write(headerBytes.length & 0xff);
            dos.write(headerBytes.length >> 8);
            dos.write(headerBytes);
            ByteBuffer buffer = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(data);
            dos.write(buffer.array());
        }
    }
}

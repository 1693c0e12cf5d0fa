package org.nmt4j.core.text;

import ai.djl.engine.EngineException;
import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A SentencePiece model ({@code .model} file, e.g. from {@code corpora-scripts/train-spm.sh}) loaded through DJL's
 * JNI binding: text to ids, ids to text, pieces for display, and the special ids.
 *
 * <p>The model must define the pieces {@code <pad>}, {@code <unk>}, {@code <s>} (bos) and {@code </s>} (eos); nmt4j's
 * models use ids 0, 1, 2 and 3 for them. The native library ships inside the DJL jar and is extracted on first use
 * to {@code ~/.djl.ai/sentencepiece/} (or {@code $DJL_CACHE_DIR}); nothing is downloaded.
 *
 * <p>Ids are checked against the vocabulary before they reach native code, because the native piece lookup aborts
 * the JVM on an out-of-range id. An instance holds native memory: close it when done. DJL does not document the
 * processor as thread-safe, so give each thread its own instance.
 */
public final class SubwordTokenizer implements AutoCloseable {

    private static final String PAD = "<pad>";
    private static final String UNK = "<unk>";
    private static final String BOS = "<s>";
    private static final String EOS = "</s>";

    private final Path modelFile;
    private final SpTokenizer tokenizer;
    private final SpProcessor processor;
    private final int vocabSize;
    private final int padId;
    private final int unkId;
    private final int bosId;
    private final int eosId;

    private SubwordTokenizer(Path modelFile, SpTokenizer tokenizer) {
        this.modelFile = modelFile;
        this.tokenizer = tokenizer;
        this.processor = tokenizer.getProcessor();
        this.vocabSize = countPieces();
        this.unkId = processor.getId(UNK);
        this.padId = requirePiece(PAD, "pad");
        this.bosId = requirePiece(BOS, "bos");
        this.eosId = requirePiece(EOS, "eos");
    }

    /**
     * Loads a SentencePiece model file.
     *
     * @throws IllegalArgumentException if the file does not exist, is not a SentencePiece model (truncated, corrupt,
     *     another format) or lacks one of the special pieces; the message names the file
     * @throws IOException if the file exists but cannot be read
     */
    public static SubwordTokenizer load(Path modelFile) throws IOException {
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("SentencePiece model not found: " + modelFile.toAbsolutePath());
        }
        byte[] bytes = Files.readAllBytes(modelFile);
        SpTokenizer tokenizer;
        try {
            tokenizer = new SpTokenizer(bytes);
        } catch (EngineException e) {
            throw new IllegalArgumentException("not a valid SentencePiece model: " + modelFile.toAbsolutePath()
                    + " (" + e.getMessage() + ")", e);
        }
        try {
            return new SubwordTokenizer(modelFile, tokenizer);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** Subword ids of {@code text}, without bos or eos. */
    public int[] encode(String text) {
        return processor.encode(text);
    }

    /** Pieces of {@code text} as strings (word starts marked with U+2581), for display and debugging. */
    public List<String> pieces(String text) {
        return Arrays.asList(processor.tokenize(text));
    }

    /**
     * Detokenized text of {@code ids}; control ids (pad, bos, eos) produce no text.
     *
     * @throws IllegalArgumentException if an id is outside {@code [0, vocabSize)}
     */
    public String decode(int[] ids) {
        for (int id : ids) {
            checkId(id);
        }
        return processor.decode(ids);
    }

    /**
     * The piece string of one id.
     *
     * @throws IllegalArgumentException if the id is outside {@code [0, vocabSize)}
     */
    public String piece(int id) {
        checkId(id);
        return processor.getToken(id);
    }

    /** The id of a piece, or {@link #unkId()} if the vocabulary has no such piece. */
    public int id(String piece) {
        return processor.getId(piece);
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    /** The four special ids together. */
    public SpecialIds specialIds() {
        return new SpecialIds(padId, unkId, bosId, eosId);
    }

    public Path modelFile() {
        return modelFile;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException("id " + id + " outside the vocabulary [0, " + vocabSize + ") of "
                    + modelFile);
        }
    }

    private int requirePiece(String piece, String role) {
        int id = processor.getId(piece);
        if (id == unkId) {
            throw new IllegalArgumentException("SentencePiece model " + modelFile.toAbsolutePath() + " has no " + role
                    + " piece " + piece + "; train it with corpora-scripts/train-spm.sh (pad=0 unk=1 bos=2 eos=3)");
        }
        return id;
    }

    /**
     * The number of pieces. DJL has no accessor for it, and its piece lookup aborts on an out-of-range id, but
     * {@code decode} rejects such an id with an exception: the size is the first id that {@code decode} rejects.
     */
    private int countPieces() {
        int low = 0;
        long high = 1;
        while (high <= Integer.MAX_VALUE && isValidId((int) high)) {
            low = (int) high;
            high *= 2;
        }
        // Invariant: low is valid, high is invalid (or past int range).
        while (high - low > 1) {
            int mid = (int) ((low + high) >>> 1);
            if (isValidId(mid)) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low + 1;
    }

    private boolean isValidId(int id) {
        try {
            processor.decode(new int[] {id});
            return true;
        } catch (EngineException e) {
            return false;
        }
    }
}

package org.nmt4j.serve.translate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.core.model.Seq2SeqModel;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.config.TrainConfig;

/**
 * What translation needs from a {@link ModelDirectory}: the inference model over one checkpoint's parameters, the
 * two SentencePiece models and the source length limit {@code data.max_source_subwords} of {@code config.yaml}.
 * Holds native memory (the tokenizers): close it.
 *
 * @param model             the encoder-decoder
 * @param source            source tokenizer; not thread-safe
 * @param target            target tokenizer; not thread-safe
 * @param maxSourceSubwords the longest source the model was trained on, in subwords without eos
 */
public record TranslationModel(Seq2SeqModel model, SubwordTokenizer source, SubwordTokenizer target,
        int maxSourceSubwords) implements AutoCloseable {

    /** The checkpoint names {@link #load} accepts besides a path. */
    public static final List<String> CHECKPOINTS = List.of("best", "last", "averaged");

    /**
     * Loads a model directory.
     *
     * @param checkpoint {@code best}, {@code last}, {@code averaged} (the directory's files) or the path of a
     *                   checkpoint of the same model
     * @throws IllegalArgumentException naming the directory or file when the directory, its config or a
     *                                  SentencePiece model is missing or invalid, or the parts do not fit together
     * @throws IOException              when a file cannot be read or the checkpoint is unusable
     */
    public static TranslationModel load(ModelDirectory directory, String checkpoint) throws IOException {
        if (!Files.isDirectory(directory.root())) {
            throw new IllegalArgumentException("model directory " + directory.root() + " does not exist");
        }
        if (!Files.isRegularFile(directory.config())) {
            throw new IllegalArgumentException(directory.root() + " is not a model directory: it has no "
                    + directory.config().getFileName());
        }
        TrainConfig config = TrainConfig.resume(directory.config(), List.of());
        Path file = checkpointFile(directory, checkpoint);
        Seq2SeqModel model = new Seq2SeqModel(config.model(), Checkpoint.read(file).parameters());
        SubwordTokenizer source = SubwordTokenizer.load(directory.sourceSpm());
        try {
            SubwordTokenizer target = SubwordTokenizer.load(directory.targetSpm());
            try {
                checkVocabulary(directory.sourceSpm(), source, model.sourceVocabSize(), file);
                checkVocabulary(directory.targetSpm(), target, model.targetVocabSize(), file);
                return new TranslationModel(model, source, target, config.data().maxSourceSubwords());
            } catch (RuntimeException e) {
                target.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** The file {@link #load} reads: {@code best}, {@code last}, {@code averaged} of the directory, or a path. */
    public static Path checkpointFile(ModelDirectory directory, String checkpoint) {
        return switch (checkpoint) {
            case "best" -> directory.best();
            case "last" -> directory.last();
            case "averaged" -> directory.averaged();
            default -> Path.of(checkpoint);
        };
    }

    private static void checkVocabulary(Path spm, SubwordTokenizer tokenizer, int modelVocab, Path checkpoint) {
        if (tokenizer.vocabSize() != modelVocab) {
            throw new IllegalArgumentException(spm + " has " + tokenizer.vocabSize() + " pieces but the model in "
                    + checkpoint + " has a vocabulary of " + modelVocab);
        }
    }

    @Override
    public void close() {
        source.close();
        target.close();
    }
}

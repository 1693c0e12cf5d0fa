package org.nmt4j.serve.server;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.train.config.DataConfig;
import org.nmt4j.train.config.TrainConfig;

/**
 * What {@code GET /info} says about the served model.
 *
 * @param modelDir          the model directory, absolute
 * @param checkpoint        the checkpoint loaded: best, last, averaged or a path
 * @param attention         the attention normalizer ({@code model.attention} of config.yaml)
 * @param sourceLanguage    the file-name extension of {@code data.train_source} (nmt4j's corpus scripts name files
 *                          {@code train.LANG}); null when it has none
 * @param targetLanguage    the same for {@code data.train_target}
 * @param sourceVocabSize   source SentencePiece pieces
 * @param targetVocabSize   target SentencePiece pieces
 * @param maxSourceSubwords longer sources are translated from their first that many subwords
 * @param limits            the server's settings and limits
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelInfo(String modelDir, String checkpoint, String attention, String sourceLanguage,
        String targetLanguage, int sourceVocabSize, int targetVocabSize, int maxSourceSubwords,
        ServerOptions limits) {

    /** The description of {@code model}, loaded from {@code directory} with {@code checkpoint}. */
    public static ModelInfo of(ModelDirectory directory, String checkpoint, TranslationModel model,
                               ServerOptions limits) throws IOException {
        DataConfig data = TrainConfig.resume(directory.config(), List.of()).data();
        return new ModelInfo(directory.root().toAbsolutePath().normalize().toString(), checkpoint, model.model().config().attention(),
                extension(data.trainSource()), extension(data.trainTarget()), model.source().vocabSize(),
                model.target().vocabSize(), model.maxSourceSubwords(), limits);
    }

    private static String extension(String file) {
        String name = Path.of(file).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? null : name.substring(dot + 1);
    }
}

package org.nmt4j.train.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The {@code data:} section: parallel files, SentencePiece models (one joint model may serve both sides) and
 * length limits. Relative paths are resolved against the working directory.
 *
 * @param trainSource        training source file (UTF-8, one sentence per line)
 * @param trainTarget        training target file, line-aligned with the source
 * @param devSource          development source file for validation
 * @param devTarget          development reference file
 * @param sourceSpm          SentencePiece model of the source language
 * @param targetSpm          SentencePiece model of the target language
 * @param maxChars           lines longer than this many characters are skipped (and counted)
 * @param maxWords           lines with more whitespace-separated words are skipped (and counted)
 * @param maxSourceSubwords  pairs whose source has more subwords are skipped
 * @param maxTargetSubwords  pairs whose target has more subwords are skipped
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DataConfig(String trainSource, String trainTarget, String devSource, String devTarget,
        String sourceSpm, String targetSpm, int maxChars, int maxWords, int maxSourceSubwords,
        int maxTargetSubwords) {

    public DataConfig {
        for (String[] entry : new String[][] {{"data.train_source", trainSource}, {"data.train_target", trainTarget},
            {"data.dev_source", devSource}, {"data.dev_target", devTarget}, {"data.source_spm", sourceSpm},
            {"data.target_spm", targetSpm}}) {
            if (entry[1] == null || entry[1].isBlank()) {
                throw new IllegalArgumentException(entry[0] + " is required");
            }
        }
        for (Object[] entry : new Object[][] {{"data.max_chars", maxChars}, {"data.max_words", maxWords},
            {"data.max_source_subwords", maxSourceSubwords}, {"data.max_target_subwords", maxTargetSubwords}}) {
            if ((int) entry[1] <= 0) {
                throw new IllegalArgumentException(entry[0] + " must be positive, got " + entry[1]);
            }
        }
    }
}

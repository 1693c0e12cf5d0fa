package org.nmt4j.serve.compare;

import java.nio.file.Path;
import java.util.List;

/**
 * How a comparison was run, as its report states it.
 *
 * @param command        the command line that produced the report
 * @param budget         the training budget of each model, in words ("20 minutes"; "existing models")
 * @param testSource     the test set's source file
 * @param testReference  its reference translations
 * @param search         the search settings, in words ("beam 5, gnmt length penalty α=0.6")
 * @param checkpoint     which checkpoint of each model translated ({@code best}, {@code last}…)
 * @param heatmapLines   0-based test lines drawn as attention heatmaps
 */
public record ComparisonSettings(String command, String budget, Path testSource, Path testReference, String search,
        String checkpoint, List<Integer> heatmapLines) {
}

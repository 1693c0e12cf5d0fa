package org.nmt4j.serve.compare;

import java.nio.file.Path;

/**
 * One model of a comparison: where it is, how it was trained and how it translated the test set.
 *
 * @param name     its name in the report (e.g. {@code struct-l2} or {@code struct-l2-seed2})
 * @param model    its model directory
 * @param training facts of its training
 * @param test     its translation of the test set
 */
public record ComparedModel(String name, Path model, TrainingFacts training, TestSetTranslation.Result test) {
}

package org.nmt4j.serve.translate;

/**
 * One translation of a line.
 *
 * @param text      detokenized text
 * @param score     the hypothesis' length-normalized score ({@link org.nmt4j.serve.search.Hypothesis#score()}); NaN
 *                  from greedy search, which does not score
 * @param alignment its attention, when the search keeps it ({@link org.nmt4j.serve.search.BeamOptions#alignments()});
 *                  else null
 */
public record Translation(String text, double score, Alignment alignment) {
}

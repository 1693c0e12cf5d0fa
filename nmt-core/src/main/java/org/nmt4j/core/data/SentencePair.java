package org.nmt4j.core.data;

/**
 * One aligned pair of lines.
 *
 * @param lineIndex 0-based line index in the corpus files (line number minus one)
 * @param source source-side text
 * @param target target-side text
 */
public record SentencePair(long lineIndex, String source, String target) {
}

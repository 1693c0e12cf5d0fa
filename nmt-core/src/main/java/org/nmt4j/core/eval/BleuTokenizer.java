package org.nmt4j.core.eval;

/** Splits a detokenized segment into space-separated tokens before BLEU counts n-grams. */
public interface BleuTokenizer {

    /** The name that appears in the BLEU signature ({@code tok:13a}). */
    String name();

    /** Returns the tokenized segment, tokens separated by single spaces. */
    String tokenize(String segment);

    /** sacreBLEU's {@code tok:none}: the segment is used as it is. */
    static BleuTokenizer none() {
        return new BleuTokenizer() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public String tokenize(String segment) {
                return segment;
            }
        };
    }
}

package org.nmt4j.core.data;

/**
 * Upper bounds on one side of a pair, applied by {@link ParallelTextReader} before tokenization; a pair with a side
 * over either bound is dropped and counted. Words are whitespace-separated tokens.
 *
 * @param maxChars most characters (UTF-16 code units) per side
 * @param maxWords most whitespace-separated words per side
 */
public record LengthLimits(int maxChars, int maxWords) {

    /** No limit. */
    public static final LengthLimits NONE = new LengthLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

    public LengthLimits {
        if (maxChars < 1 || maxWords < 1) {
            throw new IllegalArgumentException("length limits must be positive: " + maxChars + ", " + maxWords);
        }
    }

    /** Whether {@code text} is within both bounds. */
    public boolean accepts(String text) {
        return text.length() <= maxChars && (maxWords == Integer.MAX_VALUE || countWords(text) <= maxWords);
    }

    private static int countWords(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }
}

package org.nmt4j.serve.compare;

import java.util.ArrayList;
import java.util.List;

/** Picks test lines to show (heatmaps, examples): the first ones of a readable length. */
public final class ExampleLines {

    /** Shortest and longest line shown, in whitespace-separated words. */
    public static final int MIN_WORDS = 6;
    public static final int MAX_WORDS = 15;

    private ExampleLines() {
    }

    /** The 0-based indices of the first {@code count} lines of {@value #MIN_WORDS}–{@value #MAX_WORDS} words. */
    public static List<Integer> choose(List<String> lines, int count) {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < lines.size() && chosen.size() < count; i++) {
            String line = lines.get(i).strip();
            int words = line.isEmpty() ? 0 : line.split("\\s+").length;
            if (words >= MIN_WORDS && words <= MAX_WORDS) {
                chosen.add(i);
            }
        }
        return chosen;
    }
}

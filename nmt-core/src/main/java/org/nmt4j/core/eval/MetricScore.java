package org.nmt4j.core.eval;

/** A corpus-level score of one metric, on sacreBLEU's 0..100 scale. */
public interface MetricScore {

    /** The metric's name as sacreBLEU prints it ({@code BLEU}, {@code chrF2}). */
    String name();

    /** The score, 0..100. */
    double score();

    /** Details printed after the score ({@code 82.4/50.0/45.5/37.5 (BP = ...)}), or an empty string. */
    String verbose();

    /** sacreBLEU's text form: {@code NAME = SCORE [VERBOSE]} with the score to {@code width} decimals. */
    default String format(int width) {
        String s = name() + " = " + PyText.fixed(score(), width);
        return verbose().isEmpty() ? s : s + " " + verbose();
    }
}

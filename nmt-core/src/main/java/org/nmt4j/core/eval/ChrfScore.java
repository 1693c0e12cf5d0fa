package org.nmt4j.core.eval;

/**
 * A chrF score, printed like sacreBLEU's {@code CHRFScore}: {@code chrF2 = 59.73}.
 *
 * @param score the score, 0..100
 * @param beta  the recall weight, which names the metric ({@code chrF2})
 */
public record ChrfScore(double score, int beta) implements MetricScore {

    @Override
    public String name() {
        return "chrF" + beta;
    }

    @Override
    public String verbose() {
        return "";
    }

    @Override
    public String toString() {
        return format(2);
    }
}

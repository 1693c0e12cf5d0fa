package org.nmt4j.train.loop;

/**
 * Scores of one validation on the dev set.
 *
 * @param loss          mean negative log-likelihood per target token (no label smoothing)
 * @param bleu          sacreBLEU-compatible BLEU of greedy translations
 * @param chrf          chrF2 of the same translations
 * @param bleuSignature sacreBLEU signature of the BLEU score
 * @param sentences     dev pairs used
 * @param seconds       time the validation took
 */
public record Validation(double loss, double bleu, double chrf, String bleuSignature, int sentences,
        double seconds) {

    public double perplexity() {
        return Math.exp(loss);
    }

    /** The value of {@code metric} (bleu, chrf or loss) oriented so that higher is better. */
    public double score(String metric) {
        return switch (metric) {
            case "bleu" -> bleu;
            case "chrf" -> chrf;
            case "loss" -> -loss;
            default -> throw new IllegalArgumentException("unknown metric " + metric);
        };
    }
}

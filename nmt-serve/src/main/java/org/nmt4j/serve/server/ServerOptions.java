package org.nmt4j.serve.server;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Settings and limits of the {@link TranslationServer}.
 *
 * @param defaultBeam  beam size of requests that give none
 * @param maxBeam      the largest beam a request may ask for
 * @param maxBatch     the most sentences translated together, from all pending requests
 * @param maxBodyBytes the largest request body in bytes; a larger one is answered with 413
 * @param maxSentences the most sentences in one request
 * @param maxChars     the most characters (Unicode code points) in one sentence
 * @param threads      how many batches are translated at once, each on its own thread (see
 *                     {@link org.nmt4j.serve.translate.Translator}); the sentences taken together (at most
 *                     {@code maxBatch}) are split into that many batches
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ServerOptions(int defaultBeam, int maxBeam, int maxBatch, int maxBodyBytes, int maxSentences,
        int maxChars, int threads) {

    /**
     * Beam 5 (at most 16), up to 32 sentences taken together, 1 MiB bodies, 64 sentences of 1,000 characters, one
     * thread per core.
     */
    public static final ServerOptions DEFAULTS = new ServerOptions(5, 16, 32, 1 << 20, 64, 1000,
            Runtime.getRuntime().availableProcessors());

    public ServerOptions {
        for (Object[] entry : new Object[][] {{"default beam", defaultBeam}, {"maximum beam", maxBeam},
            {"maximum batch", maxBatch}, {"maximum body size", maxBodyBytes}, {"maximum sentences", maxSentences},
            {"maximum characters", maxChars}, {"threads", threads}}) {
            if ((int) entry[1] < 1) {
                throw new IllegalArgumentException(entry[0] + " must be at least 1, got " + entry[1]);
            }
        }
        if (defaultBeam > maxBeam) {
            throw new IllegalArgumentException("default beam " + defaultBeam + " is above the maximum beam " + maxBeam);
        }
    }
}

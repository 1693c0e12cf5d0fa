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
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ServerOptions(int defaultBeam, int maxBeam, int maxBatch, int maxBodyBytes, int maxSentences,
        int maxChars) {

    /** Beam 5 (at most 16), batches of up to 32 sentences, 1 MiB bodies, 64 sentences of 1,000 characters. */
    public static final ServerOptions DEFAULTS = new ServerOptions(5, 16, 32, 1 << 20, 64, 1000);

    public ServerOptions {
        for (Object[] entry : new Object[][] {{"default beam", defaultBeam}, {"maximum beam", maxBeam},
            {"maximum batch", maxBatch}, {"maximum body size", maxBodyBytes}, {"maximum sentences", maxSentences},
            {"maximum characters", maxChars}}) {
            if ((int) entry[1] < 1) {
                throw new IllegalArgumentException(entry[0] + " must be at least 1, got " + entry[1]);
            }
        }
        if (defaultBeam > maxBeam) {
            throw new IllegalArgumentException("default beam " + defaultBeam + " is above the maximum beam " + maxBeam);
        }
    }
}

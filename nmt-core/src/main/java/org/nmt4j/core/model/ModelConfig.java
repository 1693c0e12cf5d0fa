package org.nmt4j.core.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.nmt4j.attention.Normalizers;

/**
 * Architecture of the attentional encoder-decoder (the {@code model:} section of a config).
 *
 * <p>Source embeddings feed a bidirectional LSTM encoder whose two directions have {@code hidden / 2} units each,
 * so its output has {@code hidden} features. The decoder is an LSTM of {@code hidden} units reading the target
 * embedding concatenated with a bridge vector (tanh of a projection of the masked mean of the encoder output).
 * Luong attention after the decoder: score {@code q·k} ({@code dot}) or {@code (q W)·k} ({@code general}), weights
 * from the named {@code attention} normalizer, attentional hidden {@code tanh(W [h; c] + b)} of {@code hidden}
 * units, then the output softmax.
 *
 * @param embedding           source and target embedding size
 * @param hidden              decoder size and encoder output size (even)
 * @param encoderLayers       stacked bidirectional encoder layers
 * @param decoderLayers       stacked decoder layers
 * @param attention           normalizer name: softmax, sparsemax, struct-entropy, struct-l2
 * @param scorer              dot or general
 * @param gamma               temperature of the normalizer
 * @param renormalize         structured normalizers: divide the marginals by their sum
 * @param dropout             dropout probability on the inputs of every LSTM, the attentional layer and the output
 * @param tieTargetEmbeddings share the target embedding matrix with the output projection (needs embedding = hidden)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelConfig(int embedding, int hidden, int encoderLayers, int decoderLayers, String attention,
        String scorer, double gamma, boolean renormalize, double dropout, boolean tieTargetEmbeddings) {

    /** The scorers. */
    public static final List<String> SCORERS = List.of("dot", "general");

    /** Checks every value and says which one is impossible. */
    public ModelConfig {
        positive("model.embedding", embedding);
        positive("model.hidden", hidden);
        positive("model.encoder_layers", encoderLayers);
        positive("model.decoder_layers", decoderLayers);
        if (hidden % 2 != 0) {
            throw new IllegalArgumentException("model.hidden must be even (each encoder direction has hidden/2 "
                    + "units), got " + hidden);
        }
        if (attention == null || !Normalizers.NAMES.contains(attention)) {
            throw new IllegalArgumentException("model.attention must be one of " + Normalizers.NAMES + ", got "
                    + attention);
        }
        if (scorer == null || !SCORERS.contains(scorer)) {
            throw new IllegalArgumentException("model.scorer must be one of " + SCORERS + ", got " + scorer);
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("model.gamma must be positive and finite, got " + gamma);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("model.dropout must be in [0, 1), got " + dropout);
        }
        if (tieTargetEmbeddings && embedding != hidden) {
            throw new IllegalArgumentException("model.tie_target_embeddings needs model.embedding == model.hidden, "
                    + "got " + embedding + " and " + hidden);
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /** The same architecture with another attention normalizer. */
    public ModelConfig withAttention(String name) {
        return new ModelConfig(embedding, hidden, encoderLayers, decoderLayers, name, scorer, gamma, renormalize,
                dropout, tieTargetEmbeddings);
    }
}

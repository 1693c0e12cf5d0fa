package org.nmt4j.core.model;

/**
 * Names of the inputs, layers and parameters of the encoder-decoder, shared by the training graph and the
 * decoder that runs over its trained parameters. Parameter keys are {@code layer + "_" + param}, as DL4J names
 * them: LSTM {@code W [nIn, 4h]}, {@code RW [h, 4h]}, {@code b [1, 4h]} with gate blocks in the order block
 * input (tanh), forget, output, input gate; encoder layer {@code i} is the concatenation of a forward LSTM
 * {@link #encoderForward(int)} and a backward LSTM {@link #encoderBackward(int)} that reads each sentence reversed
 * within its own length;
 * dense and output layers {@code W [nIn, nOut]}, {@code b [1, nOut]}; embeddings {@code W [V, E]}.
 */
public final class ModelLayout {

    public static final String SOURCE = "source";
    public static final String TARGET = "target";
    public static final String SOURCE_EMBEDDING = "source_embedding";
    public static final String TARGET_EMBEDDING = "target_embedding";
    public static final String BRIDGE_POOL = "bridge_pool";
    public static final String BRIDGE = "bridge";
    public static final String BRIDGE_SEQUENCE = "bridge_sequence";
    public static final String DECODER_INPUT = "decoder_input";
    public static final String QUERY = "query";
    public static final String ATTENTION = "attention";
    public static final String COMBINED = "combined";
    public static final String ATTENTIONAL = "attentional";
    public static final String OUTPUT = "output";

    private ModelLayout() {
    }

    /** Name of encoder layer {@code i}: forward and backward outputs concatenated. */
    public static String encoder(int i) {
        return "encoder_" + i;
    }

    /** Name of the forward LSTM of encoder layer {@code i}. */
    public static String encoderForward(int i) {
        return encoder(i) + "_forward";
    }

    /** Name of the backward LSTM of encoder layer {@code i}. */
    public static String encoderBackward(int i) {
        return encoder(i) + "_backward";
    }

    /** Name of decoder layer {@code i}. */
    public static String decoder(int i) {
        return "decoder_" + i;
    }

    /** Key of a parameter in DL4J's parameter table. */
    public static String param(String layer, String param) {
        return layer + "_" + param;
    }
}

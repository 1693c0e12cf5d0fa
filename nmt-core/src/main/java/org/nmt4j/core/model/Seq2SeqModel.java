package org.nmt4j.core.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nmt4j.attention.NormalizerOptions;
import org.nmt4j.attention.Normalizers;
import org.nmt4j.attention.nd4j.NdAttention;

/**
 * The encoder-decoder of {@link ModelConfig} for inference, over float copies of the trained graph's parameters
 * (keys as in {@link ModelLayout}). It computes what the training graph computes without dropout, written as
 * INDArray operations with the same attention normalizer ({@link NdAttention}):
 * {@link #encode} a batch of sources once, {@link #start} a decoder state of one hypothesis per sentence, then
 * {@link #step} any number of hypotheses one token at a time ({@link DecoderState#select} reorders them).
 * Immutable; its methods may run on several threads at once.
 */
public final class Seq2SeqModel {

    private final ModelConfig config;
    private final int hidden;
    private final int sourceVocab;
    private final int targetVocab;
    private final INDArray sourceEmbedding;
    /** Per encoder layer: forward and backward direction. */
    private final LstmCell[][] encoder;
    private final INDArray bridgeWeights;
    private final INDArray bridgeBias;
    /**
     * The target embedding's contribution to the first decoder layer's gates, one row per target id
     * ({@code E · W[0:embedding]}, {@code [V, 4·hidden]}): a step looks its rows up instead of multiplying.
     */
    private final INDArray embeddingGates;
    /** The first decoder layer's input weights for the bridge (the rows after the target embedding's). */
    private final INDArray bridgeGateWeights;
    private final LstmCell[] decoder;
    /** The general scorer's {@code W} in {@code q·W·k}, applied to the query; null for the dot scorer. */
    private final INDArray queryWeights;
    private final NdAttention attention;
    private final double[] transitions;
    /** The attentional layer's weights split into the decoder-output rows and the context rows. */
    private final INDArray attentionalDecoderWeights;
    private final INDArray attentionalContextWeights;
    private final INDArray attentionalBias;
    private final INDArray outputWeights;
    private final INDArray outputBias;

    /**
     * Copies the parameters the architecture needs out of {@code parameters} (a graph's {@code paramTable()}).
     *
     * @throws IllegalArgumentException naming the parameter that is missing or has the wrong shape
     */
    public Seq2SeqModel(ModelConfig config, Map<String, INDArray> parameters) {
        this.config = config;
        this.hidden = config.hidden();
        int embedding = config.embedding();
        int half = hidden / 2;
        Parameters p = new Parameters(parameters);

        sourceEmbedding = p.matrix(ModelLayout.param(ModelLayout.SOURCE_EMBEDDING, "W"), -1, embedding);
        sourceVocab = (int) sourceEmbedding.size(0);
        encoder = new LstmCell[config.encoderLayers()][];
        for (int i = 0; i < encoder.length; i++) {
            int in = i == 0 ? embedding : hidden;
            encoder[i] = new LstmCell[] {p.lstm(ModelLayout.encoderForward(i), in, half),
                p.lstm(ModelLayout.encoderBackward(i), in, half)};
        }
        bridgeWeights = p.matrix(ModelLayout.param(ModelLayout.BRIDGE, "W"), hidden, hidden);
        bridgeBias = p.bias(ModelLayout.param(ModelLayout.BRIDGE, "b"), hidden);

        INDArray targetEmbedding = p.matrix(ModelLayout.param(ModelLayout.TARGET_EMBEDDING, "W"), -1, embedding);
        targetVocab = (int) targetEmbedding.size(0);
        decoder = new LstmCell[config.decoderLayers()];
        for (int i = 0; i < decoder.length; i++) {
            decoder[i] = p.lstm(ModelLayout.decoder(i), i == 0 ? embedding + hidden : hidden, hidden);
        }
        embeddingGates = MatrixProduct.of(targetEmbedding, decoder[0].inputWeights.get(interval(0, embedding), all()));
        bridgeGateWeights = decoder[0].inputWeights.get(interval(embedding, embedding + hidden), all()).dup('c');

        queryWeights = config.scorer().equals("general")
                ? p.pointwiseConvolution(ModelLayout.param(ModelLayout.QUERY, "W"), hidden, hidden) : null;
        attention = new NdAttention(Normalizers.create(config.attention(),
                new NormalizerOptions(config.gamma(), config.renormalize())));
        int count = attention.normalizer().parameterCount();
        transitions = count == 0 ? new double[0]
                : p.bias(ModelLayout.param(ModelLayout.ATTENTION, "transitions"), count)
                        .castTo(DataType.DOUBLE).data().asDouble();

        INDArray attentional = p.matrix(ModelLayout.param(ModelLayout.ATTENTIONAL, "W"), 2L * hidden, hidden);
        attentionalDecoderWeights = attentional.get(interval(0, hidden), all()).dup('c');
        attentionalContextWeights = attentional.get(interval(hidden, 2 * hidden), all()).dup('c');
        attentionalBias = p.bias(ModelLayout.param(ModelLayout.ATTENTIONAL, "b"), hidden);
        outputWeights = p.matrix(ModelLayout.param(ModelLayout.OUTPUT, "W"), hidden, targetVocab);
        outputBias = p.bias(ModelLayout.param(ModelLayout.OUTPUT, "b"), targetVocab);
    }

    public ModelConfig config() {
        return config;
    }

    /** Source vocabulary size (rows of the source embedding). */
    public int sourceVocabSize() {
        return sourceVocab;
    }

    /** Target vocabulary size V (rows of the target embedding). */
    public int targetVocabSize() {
        return targetVocab;
    }

    /**
     * Runs the encoder over a batch of sentences.
     *
     * @param sources one row of ids per sentence, its eos included (the {@code source} rows of a batch without
     *                the padding); lengths may differ
     * @throws IllegalArgumentException for an empty batch, an empty row or an id outside the source vocabulary
     */
    public EncodedSource encode(int[][] sources) {
        if (sources == null || sources.length == 0) {
            throw new IllegalArgumentException("encode needs at least one source sentence");
        }
        int batch = sources.length;
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            if (sources[b] == null || sources[b].length == 0) {
                throw new IllegalArgumentException("source sentence " + b + " is empty (a source row holds at "
                        + "least its eos)");
            }
            checkIds("source sentence " + b, sources[b], sourceVocab, "source");
            lengths[b] = sources[b].length;
        }
        int steps = Arrays.stream(lengths).max().getAsInt();

        // Time-major rows (t · batch + b), so each time step is a contiguous block of rows.
        int[] ids = new int[steps * batch];
        INDArray[] masks = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            float[] mask = new float[batch];
            boolean padded = false;
            for (int b = 0; b < batch; b++) {
                if (t < lengths[b]) {
                    ids[t * batch + b] = sources[b][t];
                    mask[b] = 1f;
                } else {
                    padded = true;
                }
            }
            masks[t] = padded ? Nd4j.createFromArray(mask).reshape(batch, 1) : null;
        }
        INDArray x = Nd4j.pullRows(sourceEmbedding, 1, ids);
        for (LstmCell[] layer : encoder) {
            x = bidirectional(layer, x, batch, steps, masks);
        }

        INDArray values = x.reshape(steps, batch, hidden).permute(1, 0, 2).dup('c');
        float[] counts = new float[batch];
        for (int b = 0; b < batch; b++) {
            counts[b] = lengths[b];
        }
        // Padded positions of the encoder output are 0, so the sum over all positions is the masked sum.
        INDArray mean = values.sum(1).diviColumnVector(Nd4j.createFromArray(counts).reshape(batch, 1));
        INDArray bridge = Transforms.tanh(MatrixProduct.of(mean, bridgeWeights).addiRowVector(bridgeBias), false);
        INDArray bridgeGates = MatrixProduct.of(bridge, bridgeGateWeights).addiRowVector(decoder[0].bias);
        return new EncodedSource(values, bridgeGates, lengths);
    }

    /**
     * One bidirectional layer over time-major input {@code [steps · batch, nIn]}; output
     * {@code [steps · batch, 2u]}, forward direction first. A padded step zeroes h and c, so the backward
     * direction starts from a zero state at each sentence's last token (it reads the sentence reversed within its
     * own length) and the output is 0 on padding.
     */
    private static INDArray bidirectional(LstmCell[] directions, INDArray x, int batch, int steps,
                                          INDArray[] masks) {
        int units = directions[0].units;
        INDArray out = Nd4j.create(DataType.FLOAT, (long) steps * batch, 2L * units);
        for (int d = 0; d < 2; d++) {
            LstmCell cell = directions[d];
            INDArray gates = cell.inputGates(x);
            INDArray h = Nd4j.zeros(DataType.FLOAT, batch, units);
            INDArray c = Nd4j.zeros(DataType.FLOAT, batch, units);
            for (int i = 0; i < steps; i++) {
                int t = d == 0 ? i : steps - 1 - i;
                INDArray[] next = cell.step(gates.get(interval(t * batch, (t + 1) * batch), all()), h, c);
                h = next[0];
                c = next[1];
                if (masks[t] != null) {
                    h.muliColumnVector(masks[t]);
                    c.muliColumnVector(masks[t]);
                }
                out.get(interval(t * batch, (t + 1) * batch), interval(d * units, (d + 1) * units)).assign(h);
            }
        }
        return out;
    }

    /** The decoder state before the first step: one hypothesis per sentence, zero LSTM states. Feed bos first. */
    public DecoderState start(EncodedSource encoded) {
        int n = encoded.size();
        int[] rows = new int[n];
        Arrays.setAll(rows, i -> i);
        INDArray[] h = new INDArray[decoder.length];
        INDArray[] c = new INDArray[decoder.length];
        for (int layer = 0; layer < decoder.length; layer++) {
            h[layer] = Nd4j.zeros(DataType.FLOAT, n, hidden);
            c[layer] = Nd4j.zeros(DataType.FLOAT, n, hidden);
        }
        return new DecoderState(encoded, rows, encoded, h, c);
    }

    /**
     * Reads one token per hypothesis (bos at the first step) and gives the scores (logits) of the next one.
     *
     * @param state          N hypotheses
     * @param previousTokens N target ids, the last token of each hypothesis
     * @throws IllegalArgumentException if there are not N tokens or one is outside the target vocabulary
     */
    public DecoderStep step(DecoderState state, int[] previousTokens) {
        int n = state.size();
        if (previousTokens.length != n) {
            throw new IllegalArgumentException("step: " + previousTokens.length + " previous tokens for " + n
                    + " hypotheses");
        }
        checkIds("step: previous tokens", previousTokens, targetVocab, "target");
        EncodedSource memory = state.memory;

        INDArray[] h = new INDArray[decoder.length];
        INDArray[] c = new INDArray[decoder.length];
        INDArray gates = Nd4j.pullRows(embeddingGates, 1, previousTokens).addi(memory.bridgeGates);
        for (int layer = 0; layer < decoder.length; layer++) {
            if (layer > 0) {
                gates = decoder[layer].inputGates(h[layer - 1]);
            }
            INDArray[] next = decoder[layer].step(gates, state.h[layer], state.c[layer]);
            h[layer] = next[0];
            c[layer] = next[1];
        }

        INDArray top = h[decoder.length - 1];
        INDArray query = queryWeights == null ? top : MatrixProduct.of(top, queryWeights);
        int width = memory.maxLength();
        INDArray scores = Nd4j.matmul(memory.values, query.reshape(n, hidden, 1)).reshape(n, 1, width);
        INDArray weights = attention.forward(scores, memory.lengths, transitions).weights();
        INDArray context = Nd4j.matmul(weights, memory.values).reshape(n, hidden);
        INDArray attentional = Transforms.tanh(MatrixProduct.addTo(MatrixProduct.of(top, attentionalDecoderWeights),
                context, attentionalContextWeights).addiRowVector(attentionalBias), false);
        INDArray logits = MatrixProduct.of(attentional, outputWeights).addiRowVector(outputBias);
        return new DecoderStep(logits, weights.reshape(n, width),
                new DecoderState(state.source, state.sourceRows, memory, h, c));
    }

    private static void checkIds(String what, int[] ids, int vocab, String side) {
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= vocab) {
                throw new IllegalArgumentException(what + ", position " + t + ": id " + ids[t] + " is outside the "
                        + side + " vocabulary [0, " + vocab + ")");
            }
        }
    }

    /** Reads parameters out of a parameter table as float 'c'-order copies, checking their shapes. */
    private record Parameters(Map<String, INDArray> table) {

        /** {@code [rows, cols]}; {@code rows = -1} takes any number of rows. */
        INDArray matrix(String key, long rows, long cols) {
            INDArray value = get(key);
            long[] shape = value.shape();
            if (shape.length != 2 || (rows >= 0 && shape[0] != rows) || shape[1] != cols || shape[0] == 0) {
                throw new IllegalArgumentException("parameter " + key + " has shape " + Arrays.toString(shape)
                        + ", expected [" + (rows >= 0 ? rows : "V") + ", " + cols + "]");
            }
            return value.castTo(DataType.FLOAT).dup('c');
        }

        /**
         * A width-1 convolution's kernel {@code [nOut, nIn, 1, 1]} (DL4J's {@code Convolution1DLayer}) as the
         * matrix {@code [nIn, nOut]} that right-multiplies the inputs. DL4J 1.0.0-M2.1 reshapes, not permutes, the
         * kernel to {@code [k, nIn, nOut]} for its NCW conv1d op, so that matrix is the kernel's values in
         * row-major order (for nIn = nOut the shape check cannot tell; the graph comparison test does).
         */
        INDArray pointwiseConvolution(String key, long nIn, long nOut) {
            INDArray value = get(key);
            if (!Arrays.equals(value.shape(), new long[] {nOut, nIn, 1, 1})) {
                throw new IllegalArgumentException("parameter " + key + " has shape "
                        + Arrays.toString(value.shape()) + ", expected [" + nOut + ", " + nIn + ", 1, 1]");
            }
            return value.castTo(DataType.FLOAT).reshape(nOut, nIn).dup('c');
        }

        /** A vector of {@code length} values, as {@code [1, length]} (DL4J stores biases as [length] or [1, length]). */
        INDArray bias(String key, long length) {
            INDArray value = get(key);
            if (value.length() != length || value.rank() > 2) {
                throw new IllegalArgumentException("parameter " + key + " has shape "
                        + Arrays.toString(value.shape()) + ", expected " + length + " values");
            }
            return value.castTo(DataType.FLOAT).dup('c').reshape(1, length);
        }

        /** The LSTM layer {@code layer} of {@code units} reading {@code nIn} features. */
        LstmCell lstm(String layer, int nIn, int units) {
            return new LstmCell(matrix(ModelLayout.param(layer, "W"), nIn, 4L * units),
                    matrix(ModelLayout.param(layer, "RW"), units, 4L * units),
                    bias(ModelLayout.param(layer, "b"), 4L * units));
        }

        private INDArray get(String key) {
            INDArray value = table.get(key);
            if (value == null) {
                throw new IllegalArgumentException("parameter " + key + " is missing");
            }
            return value;
        }
    }
}

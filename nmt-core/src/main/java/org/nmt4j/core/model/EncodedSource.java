package org.nmt4j.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of source sentences run through the encoder once ({@link Seq2SeqModel#encode}): what every decoder
 * step reads. Rows are in the order of the sentences given to {@code encode}; positions past a row's length are
 * padding that gets attention weight 0. Immutable.
 */
public final class EncodedSource {

    /** Encoder output, the attention keys and values, {@code [rows, maxLength, hidden]}, zero on padding. */
    final INDArray values;
    /** The bridge's contribution to the first decoder layer's gates, bias included, {@code [rows, 4·hidden]}. */
    final INDArray bridgeGates;
    final int[] lengths;

    EncodedSource(INDArray values, INDArray bridgeGates, int[] lengths) {
        this.values = values;
        this.bridgeGates = bridgeGates;
        this.lengths = lengths;
    }

    /** Number of sentences. */
    public int size() {
        return lengths.length;
    }

    /** Padded source length S: the width of the attention weights. */
    public int maxLength() {
        return (int) values.size(1);
    }

    /** Length of sentence {@code row}, its eos included. */
    public int length(int row) {
        return lengths[row];
    }

    /** The encoding of the given sentences, in the given order (rows may repeat). */
    EncodedSource select(int[] rows) {
        int[] selectedLengths = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            selectedLengths[i] = lengths[rows[i]];
        }
        long width = values.size(1) * values.size(2);
        INDArray selectedValues = Nd4j.pullRows(values.reshape(values.size(0), width), 1, rows)
                .reshape(rows.length, values.size(1), values.size(2));
        return new EncodedSource(selectedValues, Nd4j.pullRows(bridgeGates, 1, rows), selectedLengths);
    }
}

package org.nmt4j.core.model;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decoder's state for N hypotheses: the LSTM {@code h, c} of every decoder layer and, for each hypothesis,
 * the sentence of the {@link EncodedSource} it translates. Made by {@link Seq2SeqModel#start}, advanced by
 * {@link Seq2SeqModel#step}, reordered by {@link #select}. Immutable.
 */
public final class DecoderState {

    final EncodedSource source;
    final int[] sourceRows;
    /** {@code source} restricted to {@code sourceRows}: the memory row of each hypothesis. */
    final EncodedSource memory;
    /** Per decoder layer, {@code [N, hidden]}. */
    final INDArray[] h;
    final INDArray[] c;

    DecoderState(EncodedSource source, int[] sourceRows, EncodedSource memory, INDArray[] h, INDArray[] c) {
        this.source = source;
        this.sourceRows = sourceRows;
        this.memory = memory;
        this.h = h;
        this.c = c;
    }

    /** Number of hypotheses N. */
    public int size() {
        return sourceRows.length;
    }

    /** The sentence (row of the encoded batch) hypothesis {@code row} translates. */
    public int sourceRow(int row) {
        return sourceRows[row];
    }

    /** The encoded batch the hypotheses translate. */
    public EncodedSource source() {
        return source;
    }

    /**
     * The state of new hypotheses, hypothesis i continuing hypothesis {@code rows[i]} of this state (rows may
     * repeat or be left out, as beam search needs).
     */
    public DecoderState select(int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("select needs at least one row");
        }
        int[] selectedSources = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= size()) {
                throw new IllegalArgumentException("select: row " + rows[i] + " at position " + i
                        + " is not a hypothesis of this state (0.." + (size() - 1) + ")");
            }
            selectedSources[i] = sourceRows[rows[i]];
        }
        EncodedSource selectedMemory = Arrays.equals(selectedSources, sourceRows) ? memory
                : source.select(selectedSources);
        INDArray[] selectedH = new INDArray[h.length];
        INDArray[] selectedC = new INDArray[c.length];
        for (int layer = 0; layer < h.length; layer++) {
            selectedH[layer] = Nd4j.pullRows(h[layer], 1, rows);
            selectedC[layer] = Nd4j.pullRows(c[layer], 1, rows);
        }
        return new DecoderState(source, selectedSources, selectedMemory, selectedH, selectedC);
    }
}

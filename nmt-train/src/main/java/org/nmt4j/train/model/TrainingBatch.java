package org.nmt4j.train.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.data.Batch;

/** Turns a padded {@link Batch} into the arrays of the training graph: ids as {@code [B, 1, T]}, masks {@code [B, T]}. */
public final class TrainingBatch {

    private TrainingBatch() {
    }

    /** Features (source, decoder input), labels (decoder output), and their masks. */
    public static MultiDataSet of(Batch batch, DataType dataType) {
        INDArray source = ids(batch.source(), dataType);
        INDArray targetIn = ids(batch.targetInput(), dataType);
        INDArray targetOut = ids(batch.targetOutput(), dataType);
        INDArray sourceMask = mask(batch.sourceLengths(), (int) source.size(2), dataType);
        INDArray targetMask = mask(batch.targetLengths(), (int) targetIn.size(2), dataType);
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {source, targetIn}, new INDArray[] {targetOut},
                new INDArray[] {sourceMask, targetMask}, new INDArray[] {targetMask});
    }

    /** Number of target tokens the loss counts (the unmasked label positions). */
    public static long targetTokens(Batch batch) {
        long n = 0;
        for (int length : batch.targetLengths()) {
            n += length;
        }
        return n;
    }

    private static INDArray ids(int[][] rows, DataType dataType) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            for (int t = 0; t < width; t++) {
                flat[r * width + t] = rows[r][t];
            }
        }
        return Nd4j.create(flat, new long[] {rows.length, 1, width}, 'c').castTo(dataType);
    }

    private static INDArray mask(int[] lengths, int width, DataType dataType) {
        float[] flat = new float[lengths.length * width];
        for (int r = 0; r < lengths.length; r++) {
            for (int t = 0; t < lengths[r]; t++) {
                flat[r * width + t] = 1f;
            }
        }
        return Nd4j.create(flat, new long[] {lengths.length, width}, 'c').castTo(dataType);
    }
}

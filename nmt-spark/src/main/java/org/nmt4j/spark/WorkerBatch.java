package org.nmt4j.spark;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.text.SpecialIds;
import org.nmt4j.train.model.TrainingBatch;

/**
 * One batch as a Spark worker trains on it with DL4J's own {@code fit}: the arrays of {@link TrainingBatch}, padded
 * to exactly {@code rows} rows (DL4J's workers re-batch to a fixed number of examples). Padding rows repeat the first
 * pair with an all-zero label mask: they change neither the loss nor the gradient, nor the token count by which
 * {@link TokenMeanCrossEntropy} divides.
 */
public final class WorkerBatch {

    private WorkerBatch() {
    }

    /** The batch of pairs {@code examples} (at most {@code rows}) of the corpus. */
    public static MultiDataSet of(TokenizedCorpus corpus, int[] examples, int rows, SpecialIds ids) {
        if (examples.length == 0 || examples.length > rows) {
            throw new IllegalArgumentException("need 1 to " + rows + " pairs, got " + examples.length);
        }
        int[] padded = Arrays.copyOf(examples, rows);
        Arrays.fill(padded, examples.length, rows, examples[0]);
        Batch batch = Batch.assemble(corpus, padded, ids, 0, 0);
        MultiDataSet data = TrainingBatch.of(batch, DataType.FLOAT);
        if (examples.length == rows) {
            return data;
        }
        int width = (int) data.getLabels(0).size(2);
        float[] mask = new float[rows * width];
        for (int r = 0; r < examples.length; r++) {
            Arrays.fill(mask, r * width, r * width + batch.targetLengths()[r], 1f);
        }
        INDArray labelMask = Nd4j.create(mask, new long[] {rows, width}, 'c');
        return new org.nd4j.linalg.dataset.MultiDataSet(data.getFeatures(), data.getLabels(),
                data.getFeaturesMaskArrays(), new INDArray[] {labelMask});
    }

    /** Target tokens the loss counts in {@code examples} (eos included, padding rows excluded). */
    public static long targetTokens(TokenizedCorpus corpus, int[] examples) {
        long tokens = 0;
        for (int i : examples) {
            tokens += corpus.target(i).length + 1;
        }
        return tokens;
    }
}

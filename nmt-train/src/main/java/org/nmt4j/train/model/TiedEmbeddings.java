package org.nmt4j.train.model;

import static org.nmt4j.core.model.ModelLayout.OUTPUT;
import static org.nmt4j.core.model.ModelLayout.TARGET_EMBEDDING;
import static org.nmt4j.core.model.ModelLayout.param;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nmt4j.core.model.NativeFloats;

/**
 * Ties the target embedding {@code E [V, h]} to the output projection {@code W [h, V]} ({@code W = Eᵀ}).
 * DL4J cannot share one parameter between two layers, so both copies start equal and receive the same summed
 * gradient before every update: with an element-wise optimizer (Adam) they then stay equal for ever.
 */
public final class TiedEmbeddings {

    private static final int TILE = 64;

    private TiedEmbeddings() {
    }

    private static INDArray embedding(ComputationGraph net) {
        return net.getParam(param(TARGET_EMBEDDING, "W"));
    }

    private static INDArray projection(ComputationGraph net) {
        return net.getParam(param(OUTPUT, "W"));
    }

    /** Makes the output projection the transpose of the target embedding. */
    public static void tie(ComputationGraph net) {
        projection(net).assign(embedding(net).transpose());
    }

    /** Replaces both gradients, in the flattened gradient view, by their sum. */
    public static void shareGradients(ComputationGraph net) {
        INDArray embeddingGradient = net.gradient().getGradientFor(param(TARGET_EMBEDDING, "W"));
        INDArray projectionGradient = net.gradient().getGradientFor(param(OUTPUT, "W"));
        INDArray all = net.getFlattenedGradients();
        if (all.dataType() == DataType.FLOAT && NativeFloats.contiguous(all)) {
            shareInJava(NativeFloats.memory(all), embeddingGradient, projectionGradient);
        } else {
            embeddingGradient.addi(projectionGradient.transpose());
            projectionGradient.assign(embeddingGradient.transpose());
        }
    }

    /**
     * {@link #shareGradients} on the memory of the flattened gradient, in tiles of {@value #TILE}² values: ND4J's
     * element-wise operations on a transposed view took about 2% of a training step.
     *
     * @param all        the flattened gradient's memory
     * @param embedding  the view of {@code E}'s gradient {@code [V, h]}
     * @param projection the view of {@code W}'s gradient {@code [h, V]}
     */
    private static void shareInJava(FloatBuffer all, INDArray embedding, INDArray projection) {
        int rows = Math.toIntExact(embedding.size(0));
        int columns = Math.toIntExact(embedding.size(1));
        float[] e = region(all, embedding);
        float[] w = region(all, projection);
        // E(v, j) is e[v·a + j·b] and W(j, v) is w[j·c + v·d], with the views' strides.
        int a = Math.toIntExact(embedding.stride(0));
        int b = Math.toIntExact(embedding.stride(1));
        int c = Math.toIntExact(projection.stride(0));
        int d = Math.toIntExact(projection.stride(1));
        for (int v0 = 0; v0 < rows; v0 += TILE) {
            for (int j0 = 0; j0 < columns; j0 += TILE) {
                for (int v = v0; v < Math.min(v0 + TILE, rows); v++) {
                    for (int j = j0; j < Math.min(j0 + TILE, columns); j++) {
                        float sum = e[v * a + j * b] + w[j * c + v * d];
                        e[v * a + j * b] = sum;
                        w[j * c + v * d] = sum;
                    }
                }
            }
        }
        all.put(Math.toIntExact(embedding.offset()), e);
        all.put(Math.toIntExact(projection.offset()), w);
    }

    /** The values of a contiguous view, from its first element. */
    private static float[] region(FloatBuffer all, INDArray view) {
        if (view.elementWiseStride() != 1) {
            throw new IllegalStateException("expected a contiguous gradient view, got " + view.shapeInfoToString());
        }
        float[] values = new float[Math.toIntExact(view.length())];
        all.get(Math.toIntExact(view.offset()), values);
        return values;
    }
}

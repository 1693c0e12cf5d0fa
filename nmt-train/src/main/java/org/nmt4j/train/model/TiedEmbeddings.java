package org.nmt4j.train.model;

import static org.nmt4j.core.model.ModelLayout.OUTPUT;
import static org.nmt4j.core.model.ModelLayout.TARGET_EMBEDDING;
import static org.nmt4j.core.model.ModelLayout.param;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ties the target embedding {@code E [V, h]} to the output projection {@code W [h, V]} ({@code W = Eᵀ}).
 * DL4J cannot share one parameter between two layers, so both copies start equal and receive the same summed
 * gradient before every update: with an element-wise optimizer (Adam) they then stay equal for ever.
 */
public final class TiedEmbeddings {

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
        embeddingGradient.addi(projectionGradient.transpose());
        projectionGradient.assign(embeddingGradient.transpose());
    }
}

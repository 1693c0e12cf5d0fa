package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nmt4j.core.model.ModelLayout.OUTPUT;
import static org.nmt4j.core.model.ModelLayout.TARGET_EMBEDDING;
import static org.nmt4j.core.model.ModelLayout.param;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.model.ModelConfig;

/**
 * {@link TiedEmbeddings}: tying makes the projection the embedding's transpose, and sharing replaces both gradients
 * by {@code dE + dWᵀ} (and its transpose) and touches nothing else, in float (the Java path, with a vocabulary that
 * is not a multiple of the tile) and in double (ND4J's).
 */
class TiedEmbeddingsTest {

    private static final ModelConfig TIED = new ModelConfig(16, 16, 1, 1, "softmax", "general", 1.0, false, 0.0, true);

    @Test
    void sharingSumsTheTwoGradientsAndLeavesTheOthers() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            int vocab = 150;
            ComputationGraph net = Seq2SeqGraph.build(TIED, vocab, vocab, 0.1, new Adam(0.01), 7, type);
            assertEquals(net.getParam(param(TARGET_EMBEDDING, "W")).transpose(), net.getParam(param(OUTPUT, "W")));
            Batch batch = Batch.assemble(SyntheticTask.corpus(6, vocab, 2, 7, true, 5), new int[] {0, 1, 2, 3},
                    SyntheticTask.IDS, 0, 0);
            TrainingPass.run(net, TrainingBatch.of(batch, type), 1);
            INDArray before = net.getFlattenedGradients().dup();
            INDArray embedding = net.gradient().getGradientFor(param(TARGET_EMBEDDING, "W"));
            INDArray projection = net.gradient().getGradientFor(param(OUTPUT, "W"));
            INDArray expected = embedding.dup().addi(projection.transpose());
            assertTrue(projection.amaxNumber().doubleValue() > 0, "the output layer has a gradient");

            TiedEmbeddings.shareGradients(net);

            double tolerance = type == DataType.FLOAT ? 1e-7 : 1e-15;
            assertTrue(expected.equalsWithEps(embedding, tolerance), type + ": embedding gradient");
            assertTrue(expected.transpose().equalsWithEps(projection, tolerance), type + ": projection gradient");
            INDArray after = net.getFlattenedGradients();
            long changed = 0;
            for (long i = 0; i < before.length(); i++) {
                if (before.getDouble(i) != after.getDouble(i)) {
                    changed++;
                }
            }
            assertTrue(changed <= 2 * embedding.length(), type + ": " + changed + " values changed");
        }
    }
}

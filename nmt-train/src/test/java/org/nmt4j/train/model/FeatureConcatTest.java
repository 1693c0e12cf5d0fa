package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link FeatureConcatVertex} against DL4J's {@link MergeVertex} in the same float graph: the joined activations
 * and every parameter gradient are equal (both only copy values), for a C-order view (an embedding's output) and
 * an F-order array (an LSTM's) joined in either order; and the vertex's JSON round trip.
 */
class FeatureConcatTest {

    private static final int N = 3;
    private static final int STEPS = 7;

    private static ComputationGraph graph(GraphVertex merge, boolean embeddingFirst) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("ids", "series")
                .setInputTypes(InputType.recurrent(10), InputType.recurrent(4))
                .addLayer("embedding", new EmbeddingSequenceLayer.Builder().nIn(10).nOut(3).build(), "ids")
                .addLayer("lstm", new LSTM.Builder().nOut(5).activation(Activation.TANH).build(), "series")
                .addVertex("merge", merge, embeddingFirst ? new String[] {"embedding", "lstm"}
                        : new String[] {"lstm", "embedding"})
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(6).build(), "merge")
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static INDArray[] inputs() {
        Nd4j.getRandom().setSeed(9);
        INDArray ids = Nd4j.rand(DataType.FLOAT, N, 1, STEPS).muli(10).castTo(DataType.INT32)
                .castTo(DataType.FLOAT);
        return new INDArray[] {ids, Nd4j.randn(DataType.FLOAT, N, 4, STEPS)};
    }

    private static INDArray labels() {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, N, 6, STEPS);
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < STEPS; t++) {
                labels.putScalar(n, (n + 2 * t) % 6, t, 1);
            }
        }
        return labels;
    }

    @Test
    void givesDl4jsActivationsAndGradients() {
        for (boolean embeddingFirst : new boolean[] {true, false}) {
            ComputationGraph dl4j = graph(new MergeVertex(), embeddingFirst);
            ComputationGraph ours = graph(new FeatureConcatVertex(), embeddingFirst);
            assertInstanceOf(FeatureConcat.class, ours.getVertex("merge"));
            assertEquals(dl4j.params(), ours.params());
            assertEquals(dl4j.feedForward(inputs(), true).get("merge"), ours.feedForward(inputs(), true).get("merge"));
            for (ComputationGraph net : new ComputationGraph[] {dl4j, ours}) {
                net.setInputs(inputs());
                net.setLabels(labels());
                net.computeGradientAndScore();
            }
            assertEquals(dl4j.score(), ours.score(), 0);
            assertTrue(dl4j.getFlattenedGradients().equals(ours.getFlattenedGradients()),
                    "gradients differ, embedding first: " + embeddingFirst);
        }
    }

    @Test
    void survivesTheJsonOfAGraph() {
        ComputationGraphConfiguration conf = graph(new FeatureConcatVertex(), true).getConfiguration();
        ComputationGraphConfiguration read = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(new FeatureConcatVertex(), read.getVertices().get("merge"));
    }
}

package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReverseWithinMaskTest {

    private static final int N = 4;
    private static final int FEATURES = 3;
    private static final int STEPS = 6;

    /** Lengths 6, 4 and 1, and a mask with a hole (positions 0, 2, 3 kept). */
    private static INDArray mask() {
        return Nd4j.createFromArray(new float[][] {
            {1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}, {1, 0, 0, 0, 0, 0}, {1, 0, 1, 1, 0, 0}});
    }

    private static INDArray series(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, N, FEATURES, STEPS).dup('f');
    }

    @Test
    void reversesEachSequenceWithinItsKeptPositionsAndZeroesTheRest() {
        INDArray x = series(1);
        INDArray mask = mask();
        INDArray y = ReverseWithinMask.reverse(x, mask);
        for (int s = 0; s < N; s++) {
            int[] kept = new int[STEPS];
            int count = 0;
            for (int t = 0; t < STEPS; t++) {
                if (mask.getDouble(s, t) != 0) {
                    kept[count++] = t;
                }
            }
            for (int f = 0; f < FEATURES; f++) {
                for (int t = 0; t < STEPS; t++) {
                    if (mask.getDouble(s, t) == 0) {
                        assertEquals(0.0, y.getDouble(s, f, t), "padding of sequence " + s);
                    }
                }
                for (int k = 0; k < count; k++) {
                    assertEquals(x.getDouble(s, f, kept[k]), y.getDouble(s, f, kept[count - 1 - k]),
                            "sequence " + s + ", feature " + f + ", kept position " + k);
                }
            }
        }
        assertEquals(x.mul(mask.reshape(N, 1, STEPS)), ReverseWithinMask.reverse(y, mask), "self-inverse");
    }

    @Test
    void withoutAMaskEverySequenceIsReversedWhole() {
        INDArray x = series(2);
        INDArray y = ReverseWithinMask.reverse(x, null);
        for (int t = 0; t < STEPS; t++) {
            assertEquals(x.get(all(), all(), point(t)), y.get(all(), all(), point(STEPS - 1 - t)));
        }
    }

    /** In a graph, forward and backward give what DL4J's own vertex gives, and the configuration survives JSON. */
    @Test
    void matchesDl4jsVertexInAGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(FEATURES, STEPS))
                .addVertex("ours", new ReverseWithinMaskVertex("in"), "in")
                .addVertex("dl4j", new ReverseTimeSeriesVertex("in"), "in")
                .setOutputs("ours", "dl4j")
                .build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        assertEquals(ReverseWithinMaskVertex.class, restored.getVertices().get("ours").getClass());
        assertEquals(ReverseWithinMaskVertex.class, conf.clone().getVertices().get("ours").getClass());
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray x = series(3);
        graph.setLayerMaskArrays(new INDArray[] {mask()}, null);
        Map<String, INDArray> out = graph.feedForward(new INDArray[] {x}, true, false);
        assertEquals(out.get("dl4j"), out.get("ours"));

        INDArray epsilon = series(4);
        for (String name : new String[] {"ours", "dl4j"}) {
            graph.getVertex(name).setEpsilon(epsilon);
        }
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        assertEquals(graph.getVertex("dl4j").doBackward(false, workspaces).getSecond()[0],
                graph.getVertex("ours").doBackward(false, workspaces).getSecond()[0]);
    }
}

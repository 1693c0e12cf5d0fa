package org.nmt4j.attention.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nmt4j.attention.NormalizerOptions;

/** The attention vertex inside a real ComputationGraph: gradient check, training updates, JSON round trip. */
class AttentionVertexTest {

    private static final int BATCH = 3;
    private static final int SOURCE = 5;
    private static final int TARGET = 4;
    private static final int FEATURES = 3;
    private static final int HIDDEN = 4;
    private static final int CLASSES = 3;

    private static ComputationGraph graph(String normalizer, NormalizerOptions options, IUpdater updater,
                                          DataType dataType) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(dataType).updater(updater).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("source", "target")
                .setInputTypes(InputType.recurrent(FEATURES), InputType.recurrent(FEATURES))
                .addLayer("keys", new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).build(), "source")
                .addLayer("values", new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).build(), "source")
                .addLayer("queries", new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).build(), "target")
                .addVertex("attention", new AttentionVertex(normalizer, options, 1.5, updater),
                        "queries", "keys", "values")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(CLASSES).build(), "attention")
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static MultiDataSet data(DataType dataType) {
        Nd4j.getRandom().setSeed(7);
        INDArray source = Nd4j.rand(dataType, BATCH, FEATURES, SOURCE).subi(0.5).muli(4);
        INDArray target = Nd4j.rand(dataType, BATCH, FEATURES, TARGET).subi(0.5).muli(4);
        INDArray labels = Nd4j.zeros(dataType, BATCH, CLASSES, TARGET);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < TARGET; t++) {
                labels.putScalar(b, (b + 2 * t) % CLASSES, t, 1.0);
            }
        }
        INDArray sourceMask = Nd4j.createFromArray(new double[][] {
            {1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 1, 1, 1, 0}}).castTo(dataType);
        INDArray targetMask = Nd4j.createFromArray(new double[][] {
            {1, 1, 1, 1}, {1, 1, 0, 0}, {1, 1, 1, 0}}).castTo(dataType);
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {source, target}, new INDArray[] {labels},
                new INDArray[] {sourceMask, targetMask}, new INDArray[] {targetMask});
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "sparsemax", "struct-entropy", "struct-l2"})
    void wholeGraphPassesGradientCheckInDoublePrecision(String normalizer) {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            checkGradients(normalizer);
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    private static void checkGradients(String normalizer) {
        ComputationGraph net = graph(normalizer, NormalizerOptions.DEFAULTS, new NoOp(), DataType.DOUBLE);
        if (normalizer.startsWith("struct")) {
            // Non-zero transition scores, so their gradient is checked away from the symmetric start.
            net.getVertex("attention").params().assign(Nd4j.createFromArray(0.3, -0.2, 0.1, 0.5).reshape(1, 4));
        }
        MultiDataSet data = data(DataType.DOUBLE);
        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(data.getFeatures()).labels(data.getLabels())
                .inputMask(data.getFeaturesMaskArrays()).labelMask(data.getLabelsMaskArrays())
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
        assertTrue(passed, normalizer + " failed DL4J's gradient check");
    }

    @Test
    void structuredTransitionsAreParametersTheUpdaterTrains() {
        ComputationGraph net = graph("struct-l2", NormalizerOptions.DEFAULTS, new Adam(0.05), DataType.FLOAT);
        assertEquals(4, net.getVertex("attention").numParams());
        assertTrue(net.paramTable().containsKey("attention_" + AttentionVertex.TRANSITIONS));
        INDArray before = net.getVertex("attention").params().dup();
        MultiDataSet data = data(DataType.FLOAT);
        double first = net.score(data, false);
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        INDArray after = net.getVertex("attention").params();
        assertFalse(before.equalsWithEps(after, 1e-6), "transition scores did not move");
        assertTrue(net.score(data, false) < first, "training did not lower the loss");
    }

    @Test
    void configurationSurvivesJson() {
        ComputationGraph net = graph("struct-entropy", new NormalizerOptions(0.5, true), new Adam(1e-3),
                DataType.FLOAT);
        String json = net.getConfiguration().toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        AttentionVertex vertex = (AttentionVertex) back.getVertices().get("attention");
        assertEquals("struct-entropy", vertex.getNormalizer());
        assertEquals(0.5, vertex.getGamma());
        assertTrue(vertex.isRenormalize());
        assertEquals(1.5, vertex.getScale());
        assertEquals(net.getConfiguration().getVertices().get("attention"), vertex);
    }
}

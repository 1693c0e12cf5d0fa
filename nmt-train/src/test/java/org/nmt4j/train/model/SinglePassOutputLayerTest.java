package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.stream.Stream;

class SinglePassOutputLayerTest {

    private static final int BATCH = 3;
    private static final int FEATURES = 5;
    private static final int STEPS = 4;
    private static final int CLASSES = 7;

    private static RnnOutputLayer dl4jLayer(double keep) {
        return dl4jLayer(new LabelSmoothedCrossEntropy(0.1), keep);
    }

    private static RnnOutputLayer dl4jLayer(ILossFunction loss, double keep) {
        RnnOutputLayer.Builder builder = new RnnOutputLayer.Builder(loss)
                .activation(Activation.SOFTMAX).nIn(FEATURES).nOut(CLASSES);
        return (keep < 1 ? builder.dropOut(keep) : builder).build();
    }

    /** An LSTM in front, so that the output layer's epsilon reaches parameters too. */
    private static ComputationGraph graph(org.deeplearning4j.nn.conf.layers.Layer output) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).updater(new Adam(0.01)).weightInit(WeightInit.XAVIER)
                .miniBatch(false)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(FEATURES))
                .addLayer("lstm", new LSTM.Builder().nOut(FEATURES).activation(Activation.TANH).build(), "in")
                .addLayer("out", output, "lstm")
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static MultiDataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.DOUBLE, BATCH, FEATURES, STEPS);
        INDArray labels = Nd4j.createFromArray(new double[][][] {{{1, 6, 0, 3}}, {{2, 2, 5, 0}}, {{4, 0, 0, 0}}});
        INDArray labelMask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 1, 0}, {1, 0, 0, 0}});
        return new MultiDataSet(new INDArray[] {features}, new INDArray[] {labels}, null,
                new INDArray[] {labelMask});
    }

    /** DL4J's own losses take one-hot labels, not class indices. */
    private static MultiDataSet withOneHotLabels(MultiDataSet data) {
        INDArray indices = data.getLabels(0);
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                oneHot.putScalar(b, indices.getInt(b, 0, t), t, 1.0);
            }
        }
        return new MultiDataSet(data.getFeatures(), new INDArray[] {oneHot}, null, data.getLabelsMaskArrays());
    }

    private static void computeGradientAndScore(ComputationGraph net, MultiDataSet data, long dropoutSeed) {
        net.setInputs(data.getFeatures());
        net.setLabels(data.getLabels());
        net.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
        Nd4j.getRandom().setSeed(dropoutSeed);
        net.computeGradientAndScore();
    }

    static Stream<Arguments> lossesAndDropout() {
        return Stream.of(Arguments.of(new LabelSmoothedCrossEntropy(0.1), 1.0),
                Arguments.of(new LabelSmoothedCrossEntropy(0.1), 0.7),
                Arguments.of(new LossMCXENT(), 1.0));
    }

    @ParameterizedTest
    @MethodSource("lossesAndDropout")
    void givesDl4jsScoreAndGradientsWithOnePass(ILossFunction loss, double keep) {
        ComputationGraph dl4j = graph(dl4jLayer(loss, keep));
        ComputationGraph ours = graph(SinglePassOutputLayer.of(dl4jLayer(loss, keep)));
        assertEquals(SinglePassOutputLayerImpl.class, ours.getLayer("out").getClass());
        assertEquals(dl4j.params(), ours.params());
        for (long seed = 1; seed <= 2; seed++) {
            MultiDataSet data = loss instanceof LossMCXENT ? withOneHotLabels(batch(seed)) : batch(seed);
            computeGradientAndScore(dl4j, data, 100 + seed);
            computeGradientAndScore(ours, data, 100 + seed);
            assertEquals(dl4j.score(), ours.score(), 1e-12, "score, batch " + seed);
            INDArray expected = dl4j.getFlattenedGradients();
            INDArray actual = ours.getFlattenedGradients();
            assertEquals(0.0, expected.sub(actual).norm2Number().doubleValue(), 1e-12 * expected.norm2Number()
                    .doubleValue(), "gradient, batch " + seed);
        }
    }

    /** The score after a backward pass is the loss that pass computed: changing the weights in between shows it. */
    @Test
    void answersTheScoreFromTheBackwardPass() {
        ComputationGraph net = graph(SinglePassOutputLayer.of(dl4jLayer(1.0)));
        net.initGradientsView();
        org.deeplearning4j.nn.api.Layer layer = net.getLayer("out");
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        MultiDataSet data = batch(4);
        layer.setInput(data.getFeatures(0), workspaces);
        ((IOutputLayer) layer).setLabels(data.getLabels(0));
        layer.setMaskArray(data.getLabelsMaskArray(0));
        double before = ((IOutputLayer) layer).computeScore(0, true, workspaces);

        layer.backpropGradient(null, workspaces);
        layer.getParam("W").muli(2);
        assertEquals(before, ((IOutputLayer) layer).computeScore(0, true, workspaces), 1e-12, "one pass");
        double after = ((IOutputLayer) layer).computeScore(0, true, workspaces);
        assertNotEquals(before, after, 1e-6, "the remembered loss is used once");
    }

    /** A score asked for without a backward pass on the same data is DL4J's, never the remembered one. */
    @Test
    void scoresOfOtherDataAreComputedAfresh() {
        ComputationGraph dl4j = graph(dl4jLayer(1.0));
        ComputationGraph ours = graph(SinglePassOutputLayer.of(dl4jLayer(1.0)));
        computeGradientAndScore(ours, batch(1), 5);
        MultiDataSet other = batch(2);
        for (boolean training : new boolean[] {true, false}) {
            double expected = dl4j.score(other, training);
            assertEquals(expected, ours.score(other, training), 1e-12, "training " + training);
            assertEquals(expected, ours.score(other, training), 1e-12, "asked twice, training " + training);
        }
    }

    @Test
    void keepsEverySettingAndSurvivesJsonAndSaving() throws IOException {
        RnnOutputLayer built = dl4jLayer(0.8);
        SinglePassOutputLayer copy = SinglePassOutputLayer.of(built);
        String expected = NeuralNetConfiguration.mapper().valueToTree(built).toString()
                .replace(RnnOutputLayer.class.getName(), SinglePassOutputLayer.class.getName());
        assertEquals(expected, NeuralNetConfiguration.mapper().valueToTree(copy).toString());

        ComputationGraph net = graph(copy);
        ComputationGraphConfiguration restoredConf =
                ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        assertEquals(SinglePassOutputLayer.class,
                restoredConf.getVertices().get("out").getClass() == null ? null
                        : ((org.deeplearning4j.nn.conf.graph.LayerVertex) restoredConf.getVertices().get("out"))
                        .getLayerConf().getLayer().getClass());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(
                bytes.toByteArray()), true);
        assertEquals(SinglePassOutputLayerImpl.class, restored.getLayer("out").getClass());
        MultiDataSet data = batch(3);
        computeGradientAndScore(net, data, 9);
        computeGradientAndScore(restored, data, 9);
        assertEquals(net.score(), restored.score(), 1e-12);
        assertEquals(net.getFlattenedGradients(), restored.getFlattenedGradients());
    }
}

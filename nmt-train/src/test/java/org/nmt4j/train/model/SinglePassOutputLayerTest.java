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
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.util.TimeSeriesUtils;
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
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
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

    static Stream<Arguments> lossesAndDropout() {
        return Stream.of(Arguments.of(new LabelSmoothedCrossEntropy(0.1), 1.0),
                Arguments.of(new LabelSmoothedCrossEntropy(0.1), 0.7),
                Arguments.of(new LossMCXENT(), 1.0));
    }

    /**
     * The loss of the output layer's training pass, recomputed: its input (the LSTM's output) dropped out with the
     * random numbers that {@code Nd4j.getRandom()} seeded with {@code dropoutSeed} gives first.
     */
    private static double lossOfTheTrainingPass(ComputationGraph net, MultiDataSet data, ILossFunction loss,
                                                double keep, long dropoutSeed) {
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray input = TimeSeriesUtils.reshape3dTo2d(net.feedForward(data.getFeatures(), false).get("lstm"),
                workspaces, ArrayType.INPUT);
        if (keep < 1) {
            Nd4j.getRandom().setSeed(dropoutSeed);
            input = new Dropout(keep).applyDropout(input, input.ulike(), 0, 0, workspaces);
        }
        INDArray logits = input.mmul(net.getParam("out_W")).addiRowVector(net.getParam("out_b"));
        INDArray labels = TimeSeriesUtils.reshape3dTo2d(data.getLabels(0), workspaces, ArrayType.INPUT);
        INDArray mask = TimeSeriesUtils.reshapeTimeSeriesMaskToVector(data.getLabelsMaskArray(0), workspaces,
                ArrayType.INPUT);
        return loss.computeScore(labels, logits, new ActivationSoftmax(), mask, false);
    }

    /**
     * Gradients equal to DL4J's layer's, and the score is the loss of the pass they come from. With dropout DL4J's
     * layer scores the output layer's input without its dropout; ours is the loss the gradient belongs to.
     */
    @ParameterizedTest
    @MethodSource("lossesAndDropout")
    void givesDl4jsGradientsAndTheLossOfItsTrainingPass(ILossFunction loss, double keep) {
        ComputationGraph dl4j = graph(dl4jLayer(loss, keep));
        ComputationGraph ours = graph(SinglePassOutputLayer.of(dl4jLayer(loss, keep)));
        assertEquals(SinglePassOutputLayerImpl.class, ours.getLayer("out").getClass());
        assertEquals(dl4j.params(), ours.params());
        for (long seed = 1; seed <= 2; seed++) {
            MultiDataSet data = loss instanceof LossMCXENT ? withOneHotLabels(batch(seed)) : batch(seed);
            TrainingPass.run(dl4j, data, 100 + seed);
            TrainingPass.run(ours, data, 100 + seed);
            assertEquals(lossOfTheTrainingPass(ours, data, loss, keep, 100 + seed), ours.score(), 1e-12,
                    "score, batch " + seed);
            if (keep == 1) {
                assertEquals(dl4j.score(), ours.score(), 1e-12, "DL4J's score, batch " + seed);
            }
            INDArray expected = dl4j.getFlattenedGradients();
            INDArray actual = ours.getFlattenedGradients();
            assertEquals(0.0, expected.sub(actual).norm2Number().doubleValue(), 1e-12 * expected.norm2Number()
                    .doubleValue(), "gradient, batch " + seed);
        }
    }

    /** Label-smoothed cross-entropy that counts how often the loss is computed (static: DL4J copies its layers). */
    public static final class CountingLoss implements ILossFunction {
        static final AtomicInteger SCORES = new AtomicInteger();
        static final AtomicInteger GRADIENTS_AND_SCORES = new AtomicInteger();
        private final LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.1);

        @Override
        public double computeScore(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask,
                                   boolean average) {
            SCORES.incrementAndGet();
            return loss.computeScore(labels, preOutput, activation, mask, average);
        }

        @Override
        public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activation,
                                          INDArray mask) {
            SCORES.incrementAndGet();
            return loss.computeScoreArray(labels, preOutput, activation, mask);
        }

        @Override
        public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
            GRADIENTS_AND_SCORES.incrementAndGet();
            return loss.computeGradient(labels, preOutput, activation, mask);
        }

        @Override
        public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                              IActivation activation, INDArray mask,
                                                              boolean average) {
            GRADIENTS_AND_SCORES.incrementAndGet();
            return loss.computeGradientAndScore(labels, preOutput, activation, mask, average);
        }

        @Override
        public String name() {
            return "CountingLoss";
        }
    }

    /** In a graph's training pass the loss is computed once: by the backward pass, none for the score. */
    @Test
    void aGraphsTrainingPassComputesTheLossOnce() {
        ComputationGraph counted = graph(SinglePassOutputLayer.of(dl4jLayer(new CountingLoss(), 1.0)));
        ComputationGraph dl4j = graph(dl4jLayer(1.0));
        for (long seed = 1; seed <= 2; seed++) {
            CountingLoss.SCORES.set(0);
            CountingLoss.GRADIENTS_AND_SCORES.set(0);
            TrainingPass.run(counted, batch(seed), 5);
            assertEquals(0, CountingLoss.SCORES.get(), "score computations, batch " + seed);
            assertEquals(1, CountingLoss.GRADIENTS_AND_SCORES.get(), "gradient computations, batch " + seed);
            TrainingPass.run(dl4j, batch(seed), 5);
            assertEquals(dl4j.score(), counted.score(), 1e-12, "score, batch " + seed);
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
        TrainingPass.run(ours, batch(1), 5);
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
        TrainingPass.run(net, data, 9);
        TrainingPass.run(restored, data, 9);
        assertEquals(net.score(), restored.score(), 1e-12);
        assertEquals(net.getFlattenedGradients(), restored.getFlattenedGradients());
    }
}

package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.UnaryOperator;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link BatchedLstm} against DL4J's own LSTM: in double precision (ND4J-operation recursion) the same outputs and
 * gradients to 1e-10, in float (Java Vector API recursion) to float rounding.
 */
class BatchedLstmTest {

    private static final int BATCH = 3;
    private static final int FEATURES = 5;
    private static final int STEPS = 4;
    private static final int UNITS = 6;
    private static final int CLASSES = 7;
    private static final double TOLERANCE = 1e-10;
    /** Float results of different computation orders: relative to the largest magnitude compared. */
    private static final double FLOAT_TOLERANCE = 2e-6;
    private static final String[] PARAMETERS = {"W", "RW", "b"};

    /** As {@link Seq2SeqGraph} configures its LSTMs. */
    private static LSTM dl4jConf(int units, double keep) {
        LSTM.Builder builder = new LSTM.Builder().nOut(units).activation(Activation.TANH);
        return (keep < 1 ? builder.dropOut(keep) : builder).build();
    }

    /** A layer on its own with {@link #FEATURES} inputs (see {@link StandaloneLayer}). */
    private static Layer layer(LSTM layerConf, INDArray params) {
        layerConf.setNIn(FEATURES);
        return StandaloneLayer.of(layerConf, params);
    }

    /** DL4J's layer and ours in double, {@link #UNITS} units, with the same random parameters. */
    private static Layer[] dl4jAndOurs(long seed) {
        return dl4jAndOurs(seed, DataType.DOUBLE, UNITS);
    }

    /** DL4J's layer and ours with the same random parameters (all gates and the bias matter). */
    private static Layer[] dl4jAndOurs(long seed, DataType type, int units) {
        long count = 4L * units * (FEATURES + units + 1);
        INDArray params = random(seed, 1, count).subi(0.5).castTo(type);
        Layer dl4j = layer(dl4jConf(units, 1.0), params);
        Layer ours = layer(BatchedLstm.of(dl4jConf(units, 1.0)), params);
        assertEquals(BatchedLstmLayer.class, ours.getClass());
        return new Layer[] {dl4j, ours};
    }

    private static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, shape);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double largest = expected.amaxNumber().doubleValue();
        assertTrue(largest > 1e-3, what + ": not trivially zero");
        double difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber()
                .doubleValue();
        double tolerance = expected.dataType() == DataType.FLOAT ? FLOAT_TOLERANCE * Math.max(1, largest) : TOLERANCE;
        assertTrue(difference <= tolerance, what + ": differs by " + difference);
    }

    private static void assertSameBackward(Pair<Gradient, INDArray> expected, Pair<Gradient, INDArray> actual) {
        for (String parameter : PARAMETERS) {
            assertClose(expected.getFirst().getGradientFor(parameter), actual.getFirst().getGradientFor(parameter),
                    "gradient of " + parameter);
        }
        assertClose(expected.getSecond(), actual.getSecond(), "input gradient");
    }

    @Test
    void givesDl4jsOutputsAndGradients() {
        Layer[] layers = dl4jAndOurs(1);
        INDArray input = random(2, BATCH, FEATURES, STEPS);
        INDArray epsilon = random(3, BATCH, UNITS, STEPS).subi(0.5);
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        for (boolean training : new boolean[] {false, true}) {
            assertClose(layers[0].activate(input, training, workspaces), layers[1].activate(input, training,
                    workspaces), "output, training " + training);
        }
        assertSameBackward(layers[0].backpropGradient(epsilon, workspaces),
                layers[1].backpropGradient(epsilon, workspaces));
    }

    /**
     * In float the time steps run on Java's Vector API: with 37 units, whole vectors and the padding of a partial
     * one are both exercised (16 or 8 lanes), over enough steps for every gradient path through the recursion; the
     * same layer then takes batches of other sizes, the last one large enough to be shared between the cores.
     */
    @Test
    void givesDl4jsFloatOutputsAndGradientsWithTheVectorApi() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the tests run with --add-modules jdk.incubator.vector (see the root pom.xml)");
        int units = 37;
        Layer[] layers = dl4jAndOurs(11, DataType.FLOAT, units);
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        int[][] batchesAndSteps = {{BATCH, 9}, {BATCH + 1, 5}, {37, 7}};
        assertTrue(Runtime.getRuntime().availableProcessors() == 1
                || RowParts.count(37, VectorLstmRecursion.MIN_EXAMPLES) > 1, "37 examples run in parts");
        for (int[] shape : batchesAndSteps) {
            INDArray input = random(12 + shape[0], shape[0], FEATURES, shape[1]).castTo(DataType.FLOAT);
            INDArray epsilon = random(13 + shape[0], shape[0], units, shape[1]).subi(0.5).castTo(DataType.FLOAT);
            for (boolean training : new boolean[] {false, true}) {
                assertClose(layers[0].activate(input, training, workspaces), layers[1].activate(input, training,
                        workspaces), "output, training " + training + ", batch " + shape[0]);
            }
            assertSameBackward(layers[0].backpropGradient(epsilon, workspaces),
                    layers[1].backpropGradient(epsilon, workspaces));
        }
    }

    /** Changing the input array after the forward pass shows whether the backward pass recomputes it. */
    @Test
    void backwardUsesTheStoredForwardPass() {
        Layer[] layers = dl4jAndOurs(4);
        INDArray input = random(5, BATCH, FEATURES, STEPS);
        INDArray epsilon = random(6, BATCH, UNITS, STEPS).subi(0.5);
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        layers[0].activate(input.dup(), true, workspaces);
        Pair<Gradient, INDArray> expected = layers[0].backpropGradient(epsilon, workspaces);
        INDArray changing = input.dup();
        layers[1].activate(changing, true, workspaces);
        changing.muli(-2);
        assertSameBackward(expected, layers[1].backpropGradient(epsilon, workspaces));
    }

    /** Without a training forward pass on the current input, and with a mask, the layer is DL4J's. */
    @Test
    void fallsBackToDl4jWhereItHasNoForwardPass() {
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray input = random(8, BATCH, FEATURES, STEPS);
        INDArray other = random(9, BATCH, FEATURES, STEPS);
        INDArray epsilon = random(10, BATCH, UNITS, STEPS).subi(0.5);

        Layer[] inference = dl4jAndOurs(7);
        for (Layer layer : inference) {
            layer.activate(input, false, workspaces);
        }
        assertSameBackward(inference[0].backpropGradient(epsilon, workspaces),
                inference[1].backpropGradient(epsilon, workspaces));

        Layer[] newInput = dl4jAndOurs(7);
        for (Layer layer : newInput) {
            layer.activate(input, true, workspaces);
            layer.setInput(other, workspaces);
        }
        assertSameBackward(newInput[0].backpropGradient(epsilon, workspaces),
                newInput[1].backpropGradient(epsilon, workspaces));

        Layer[] masked = dl4jAndOurs(7);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 0}, {1, 0, 0, 0}});
        INDArray[] outputs = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            masked[i].setMaskArray(mask);
            outputs[i] = masked[i].activate(input, true, workspaces);
        }
        assertClose(outputs[0], outputs[1], "masked output");
        assertEquals(0.0, Math.abs(outputs[1].getDouble(2, 0, 1)), "masked positions are zero, as in DL4J");
        assertSameBackward(masked[0].backpropGradient(epsilon, workspaces),
                masked[1].backpropGradient(epsilon, workspaces));
    }

    /** Two LSTMs, input dropout, masks and training workspaces: a small version of the training graph. */
    private static ComputationGraph graph(UnaryOperator<LSTM> ours, double keep, WorkspaceMode workspaces) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).updater(keep < 1 ? new Sgd(0.5) : new NoOp())
                .weightInit(WeightInit.XAVIER).miniBatch(false)
                .trainingWorkspaceMode(workspaces).inferenceWorkspaceMode(workspaces)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(FEATURES))
                .addLayer("lstm1", ours.apply(dl4jConf(UNITS, keep)), "in")
                .addLayer("lstm2", ours.apply(dl4jConf(UNITS + 1, keep)), "lstm1")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(CLASSES).build(), "lstm2")
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static MultiDataSet batch(long seed, int batch, int steps) {
        INDArray features = random(seed, batch, FEATURES, steps);
        INDArray labels = random(seed + 1, batch, CLASSES, steps);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, batch, steps);
        mask.putScalar(batch - 1, steps - 1, 0.0);
        return new MultiDataSet(new INDArray[] {features}, new INDArray[] {labels}, new INDArray[] {mask},
                new INDArray[] {mask});
    }

    /**
     * Training with workspaces, over batches of changing shape (the buffers grow and are reused): the same scores,
     * gradients and, after each update, parameters as the graph with DL4J's LSTM.
     */
    @Test
    void trainsAsDl4jsLstmWithWorkspacesAndDropout() {
        ComputationGraph dl4j = graph(UnaryOperator.identity(), 0.8, WorkspaceMode.ENABLED);
        ComputationGraph ours = graph(BatchedLstm::of, 0.8, WorkspaceMode.ENABLED);
        assertEquals(BatchedLstmLayer.class, ours.getLayer("lstm1").getClass());
        assertEquals(dl4j.params(), ours.params());
        int[][] shapes = {{3, 4}, {2, 7}, {3, 4}, {4, 5}};
        for (int i = 0; i < shapes.length; i++) {
            MultiDataSet data = batch(20 + i, shapes[i][0], shapes[i][1]);
            for (ComputationGraph net : new ComputationGraph[] {dl4j, ours}) {
                TrainingPass.run(net, data, 100 + i);
            }
            assertNull(ours.getLayer("lstm1").getMaskArray(), "a ComputationGraph gives its LSTMs no mask");
            assertEquals(dl4j.score(), ours.score(), TOLERANCE, "score, batch " + i);
            assertClose(dl4j.getFlattenedGradients(), ours.getFlattenedGradients(), "gradient, batch " + i);
            for (ComputationGraph net : new ComputationGraph[] {dl4j, ours}) {
                Nd4j.getRandom().setSeed(200 + i);
                net.fit(data);
            }
            assertClose(dl4j.params(), ours.params(), "parameters after update " + i);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraph net = graph(BatchedLstm::of, 1.0, WorkspaceMode.ENABLED);
            net.params().assign(random(30, net.params().shape()).subi(0.5));
            MultiDataSet data = batch(31, BATCH, STEPS);
            boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                    .inputs(data.getFeatures()).labels(data.getLabels()).labelMask(data.getLabelsMaskArrays())
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8));
            assertTrue(passed, "BatchedLstm failed the gradient check");
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void keepsEverySettingAndSurvivesJsonAndSaving() throws IOException {
        LSTM built = dl4jConf(UNITS, 0.8);
        String expected = NeuralNetConfiguration.mapper().valueToTree(built).toString()
                .replace(LSTM.class.getName(), BatchedLstm.class.getName());
        assertEquals(expected, NeuralNetConfiguration.mapper().valueToTree(BatchedLstm.of(built)).toString());

        ComputationGraph net = graph(BatchedLstm::of, 1.0, WorkspaceMode.ENABLED);
        ComputationGraphConfiguration restoredConf =
                ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        assertEquals(BatchedLstm.class,
                ((LayerVertex) restoredConf.getVertices().get("lstm1")).getLayerConf().getLayer().getClass());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(BatchedLstmLayer.class, restored.getLayer("lstm2").getClass());
        INDArray features = batch(40, BATCH, STEPS).getFeatures(0);
        assertClose(net.outputSingle(features), restored.outputSingle(features), "output after restoring");
    }

    @Test
    void refusesWhatItDoesNotImplement() {
        LSTM sigmoid = new LSTM.Builder().nOut(UNITS).activation(Activation.SIGMOID).build();
        assertThrows(IllegalArgumentException.class, () -> graph(built -> BatchedLstm.of(sigmoid), 1.0,
                WorkspaceMode.ENABLED));
    }
}

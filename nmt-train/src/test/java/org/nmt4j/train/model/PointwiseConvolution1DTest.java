package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link PointwiseConvolution1D} against DL4J's width-1 {@link Convolution1DLayer} in double. */
class PointwiseConvolution1DTest {

    private static final int BATCH = 3;
    private static final int FEATURES = 5;
    private static final int STEPS = 4;
    private static final int OUT = 6;

    private static Convolution1DLayer dl4jConf(boolean bias) {
        return new Convolution1DLayer.Builder(1).nIn(FEATURES).nOut(OUT).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.IDENTITY).hasBias(bias).build();
    }

    private static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertTrue(expected.amaxNumber().doubleValue() > 1e-3, what + ": not trivially zero");
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= 1e-12, what + ": differs by " + difference);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void givesDl4jsOutputsAndGradients(boolean bias) {
        long count = (long) FEATURES * OUT + (bias ? OUT : 0);
        INDArray params = random(1, 1, count);
        Layer dl4j = StandaloneLayer.of(dl4jConf(bias), params);
        Layer ours = StandaloneLayer.of(PointwiseConvolution1D.of(dl4jConf(bias)), params);
        assertEquals(PointwiseConvolution1DLayer.class, ours.getClass());
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray input = random(2, BATCH, FEATURES, STEPS);
        INDArray epsilon = random(3, BATCH, OUT, STEPS);
        for (INDArray mask : new INDArray[] {null, Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 0},
                {1, 0, 0, 0}})}) {
            INDArray[] outputs = new INDArray[2];
            Pair<Gradient, INDArray>[] backward = new Pair[2];
            Layer[] layers = {dl4j, ours};
            for (int i = 0; i < 2; i++) {
                layers[i].setMaskArray(mask);
                outputs[i] = layers[i].activate(input, true, workspaces).dup();
                backward[i] = layers[i].backpropGradient(epsilon, workspaces);
            }
            String with = mask == null ? "without mask" : "with mask";
            assertClose(outputs[0], outputs[1], "output " + with);
            for (String parameter : bias ? new String[] {"W", "b"} : new String[] {"W"}) {
                assertClose(backward[0].getFirst().getGradientFor(parameter),
                        backward[1].getFirst().getGradientFor(parameter), "gradient of " + parameter + " " + with);
            }
            assertClose(backward[0].getSecond(), backward[1].getSecond(), "input gradient " + with);
        }
    }

    @Test
    void refusesWhatItDoesNotImplement() {
        Convolution1DLayer wide = new Convolution1DLayer.Builder(3).nIn(FEATURES).nOut(OUT)
                .activation(Activation.IDENTITY).build();
        assertThrows(IllegalArgumentException.class, () -> StandaloneLayer.of(PointwiseConvolution1D.of(wide),
                Nd4j.create(DataType.DOUBLE, 1, 3L * FEATURES * OUT + OUT)));
        Convolution1DLayer tanh = new Convolution1DLayer.Builder(1).nIn(FEATURES).nOut(OUT)
                .activation(Activation.TANH).build();
        assertThrows(IllegalArgumentException.class, () -> StandaloneLayer.of(PointwiseConvolution1D.of(tanh),
                Nd4j.create(DataType.DOUBLE, 1, (long) FEATURES * OUT + OUT)));
    }
}

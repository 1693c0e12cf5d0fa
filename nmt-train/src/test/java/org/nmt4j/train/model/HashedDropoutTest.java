package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.model.VectorApi;

/**
 * {@link HashedDropout}: the statistics of its masks, the backward pass's reuse of the forward mask, the agreement of
 * the Vector API and scalar paths, reproducibility from ND4J's seed, and its configuration's JSON round trip.
 */
class HashedDropoutTest {

    private static final double KEEP = 0.8;

    private static INDArray forward(HashedDropout dropout, INDArray input) {
        INDArray result = Nd4j.createUninitialized(input.dataType(), input.shape(), input.ordering());
        return dropout.applyDropout(input, result, 0, 0, LayerWorkspaceMgr.noWorkspaces());
    }

    /** Five standard deviations of the mean of {@code n} Bernoulli({@code q}) draws. */
    private static double tolerance(double q, long n) {
        return 5 * Math.sqrt(q * (1 - q) / n);
    }

    @Test
    void keepsAboutPOfTheValuesIndependentlyAndScalesThemByOneOverP() {
        assertTrue(VectorApi.enabled(), "the tests run with --add-modules jdk.incubator.vector (root pom.xml)");
        Nd4j.getRandom().setSeed(1);
        INDArray output = forward(new HashedDropout(KEEP), Nd4j.ones(DataType.FLOAT, 8, 101, 123));
        long n = output.length();
        long kept = 0;
        long neighboursKept = 0;
        long firstDimensionNeighboursKept = 0;
        long stride = 101 * 123;
        for (long i = 0; i < n; i++) {
            float value = output.getFloat(i);
            assertTrue(value == 0 || value == (float) (1 / KEEP), "value " + value + " at " + i);
            if (value != 0) {
                kept++;
                if (i + 1 < n && output.getFloat(i + 1) != 0) {
                    neighboursKept++;
                }
                if (i + stride < n && output.getFloat(i + stride) != 0) {
                    firstDimensionNeighboursKept++;
                }
            }
        }
        assertEquals(KEEP, (double) kept / n, tolerance(KEEP, n));
        assertEquals(KEEP * KEEP, (double) neighboursKept / (n - 1), tolerance(KEEP * KEEP, n - 1));
        assertEquals(KEEP * KEEP, (double) firstDimensionNeighboursKept / (n - stride),
                tolerance(KEEP * KEEP, n - stride));
    }

    @Test
    void backpropMultipliesByTheForwardMaskWhateverTheOrderOfTheGradient() {
        Nd4j.getRandom().setSeed(2);
        HashedDropout dropout = new HashedDropout(KEEP);
        INDArray input = Nd4j.rand(DataType.FLOAT, 3, 37, 11).addi(0.5);
        INDArray output = forward(dropout, input);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 3, 37, 11).addi(0.5).dup('f');
        INDArray expected = gradient.dup();
        INDArray inputGradient = dropout.backprop(gradient, gradient, 0, 0);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 37; b++) {
                for (int c = 0; c < 11; c++) {
                    boolean kept = output.getFloat(a, b, c) != 0;
                    if (kept) {
                        assertEquals(input.getFloat(a, b, c) / KEEP, output.getFloat(a, b, c), 1e-6);
                    }
                    assertEquals(kept ? expected.getFloat(a, b, c) / KEEP : 0, inputGradient.getFloat(a, b, c), 1e-6);
                }
            }
        }
    }

    @Test
    void theMaskDependsOnThePositionNotOnTheMemoryOrder() {
        INDArray input = Nd4j.rand(DataType.FLOAT, 5, 19, 7).addi(0.5);
        Nd4j.getRandom().setSeed(3);
        INDArray fromC = forward(new HashedDropout(KEEP), input);
        Nd4j.getRandom().setSeed(3);
        INDArray fromF = forward(new HashedDropout(KEEP), input.dup('f'));
        assertEquals(fromC, fromF);
    }

    @Test
    void theVectorPathAndTheScalarPathMakeTheSameMask() {
        // Runs along the memory of 51 (whole vectors and a tail), 4 and 3 values (shorter than a vector), 1488.
        long[][] shapes = {{4, 37, 51}, {1488, 17}, {2, 3}, {100}};
        for (long[] shape : shapes) {
            for (char order : new char[] {'c', 'f'}) {
                INDArray input = Nd4j.rand(DataType.DOUBLE, shape).addi(0.5).dup(order);
                Nd4j.getRandom().setSeed(4);
                INDArray vector = forward(new HashedDropout(KEEP), input.castTo(DataType.FLOAT));
                Nd4j.getRandom().setSeed(4);
                INDArray scalar = forward(new HashedDropout(KEEP), input);
                String where = java.util.Arrays.toString(shape) + " " + order;
                assertTrue(scalar.castTo(DataType.FLOAT).equalsWithEps(vector, 1e-6), where);
                long kept = vector.neq(0).castTo(DataType.INT32).sumNumber().longValue();
                assertTrue(input.length() < 100 || kept > 0 && kept < input.length(), where + ": " + kept + " kept");
            }
        }
    }

    @Test
    void eachPassDrawsANewMaskAndTheSeedReproducesThem() {
        INDArray ones = Nd4j.ones(DataType.FLOAT, 2, 64, 9);
        HashedDropout dropout = new HashedDropout(KEEP);
        Nd4j.getRandom().setSeed(5);
        INDArray first = forward(dropout, ones);
        INDArray second = forward(dropout, ones);
        assertFalse(first.equals(second));
        Nd4j.getRandom().setSeed(5);
        assertEquals(first, forward(dropout, ones));
        assertEquals(second, forward(dropout, ones));
    }

    @Test
    void keepingEverythingChangesNothingAndImpossibleProbabilitiesAreRefused() {
        INDArray input = Nd4j.rand(DataType.FLOAT, 3, 50);
        assertEquals(input, forward(new HashedDropout(1.0), input));
        for (double p : new double[] {0, -0.1, 1.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new HashedDropout(p));
        }
    }

    @Test
    void survivesTheJsonOfALayerConfiguration() {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder()
                .layer(new DenseLayer.Builder().nIn(3).nOut(2).dropOut(new HashedDropout(0.7)).build()).build();
        NeuralNetConfiguration read = NeuralNetConfiguration.fromJson(conf.toJson());
        assertEquals(new HashedDropout(0.7), read.getLayer().getIDropout());
    }
}

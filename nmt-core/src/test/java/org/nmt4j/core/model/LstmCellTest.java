package org.nmt4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LstmCell#step} against the LSTM equations written out in double: in float (Java's Vector API, with a unit
 * count that needs padding) and in double (ND4J operations).
 */
class LstmCellTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static void assertStepFollowsTheEquations(DataType type, int units, double tolerance) {
        int n = 3;
        int inputs = 5;
        Nd4j.getRandom().setSeed(units);
        LstmCell cell = new LstmCell(Nd4j.randn(type, inputs, 4L * units).muli(0.5),
                Nd4j.randn(type, units, 4L * units).muli(0.5), Nd4j.randn(type, 1, 4L * units));
        INDArray x = Nd4j.randn(type, n, inputs);
        INDArray h = Nd4j.randn(type, n, units);
        INDArray c = Nd4j.randn(type, n, units).muli(2);
        INDArray inputGates = cell.inputGates(x);
        INDArray inputGatesBefore = inputGates.dup();
        INDArray[] next = cell.step(inputGates, h, c);
        assertEquals(inputGatesBefore, inputGates, "the input gates are left untouched");

        INDArray z = x.castTo(DataType.DOUBLE).mmul(cell.inputWeights.castTo(DataType.DOUBLE))
                .addiRowVector(cell.bias.castTo(DataType.DOUBLE))
                .addi(h.castTo(DataType.DOUBLE).mmul(cell.recurrentWeights.castTo(DataType.DOUBLE)));
        for (int row = 0; row < n; row++) {
            for (int j = 0; j < units; j++) {
                double candidate = Math.tanh(z.getDouble(row, j));
                double forget = sigmoid(z.getDouble(row, units + j));
                double output = sigmoid(z.getDouble(row, 2 * units + j));
                double input = sigmoid(z.getDouble(row, 3 * units + j));
                double expectedCell = forget * c.getDouble(row, j) + input * candidate;
                assertEquals(expectedCell, next[1].getDouble(row, j), tolerance, "cell " + row + "," + j);
                assertEquals(output * Math.tanh(expectedCell), next[0].getDouble(row, j), tolerance,
                        "output " + row + "," + j);
            }
        }
    }

    @Test
    void floatStepOnTheVectorApiFollowsTheEquations() {
        assertTrue(VectorApi.enabled(), "the tests run with --add-modules jdk.incubator.vector (root pom.xml)");
        assertStepFollowsTheEquations(DataType.FLOAT, 37, 1e-5);
        assertStepFollowsTheEquations(DataType.FLOAT, 32, 1e-5);
    }

    @Test
    void doubleStepFollowsTheEquations() {
        assertStepFollowsTheEquations(DataType.DOUBLE, 6, 1e-12);
    }
}

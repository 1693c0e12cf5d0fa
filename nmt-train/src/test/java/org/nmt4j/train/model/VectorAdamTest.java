package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nmt4j.core.model.VectorApi;
import org.nmt4j.train.loop.WarmupSchedule;

/** {@link VectorAdam} against ND4J's {@link Adam} over several updates, on views like those DL4J hands it. */
class VectorAdamTest {

    /** Chunks, both cores' parts and a partial last vector. */
    private static final int PARAMETERS = 3 * 8192 + 37;
    private static final int OFFSET = 5;
    /**
     * Relative to the largest value: ND4J computes the bias correction {@code √(1 - β2^t) / (1 - β1^t)} in float, where
     * {@code 1 - 0.999^t} keeps only about four digits; ours is computed in double.
     */
    private static final double TOLERANCE = 5e-5;

    /** A [1, n] view starting {@link #OFFSET} values into a larger row, as DL4J's gradient and state views are. */
    private static INDArray view(INDArray values) {
        INDArray row = Nd4j.zeros(DataType.FLOAT, 1, values.length() + 2L * OFFSET);
        INDArray view = row.get(point(0), interval(OFFSET, OFFSET + values.length())).reshape(1, values.length());
        view.assign(values);
        return view;
    }

    @Test
    void updatesAsNd4jsAdamDoes() {
        assertTrue(VectorApi.enabled(), "the tests run with --add-modules jdk.incubator.vector (root pom.xml)");
        WarmupSchedule schedule = new WarmupSchedule(0.01, 3, WarmupSchedule.Decay.INVERSE_SQRT);
        GradientUpdater<?> expected = new Adam(schedule).instantiate(view(Nd4j.zeros(DataType.FLOAT, 1,
                2L * PARAMETERS)), true);
        INDArray state = view(Nd4j.zeros(DataType.FLOAT, 1, 2L * PARAMETERS));
        GradientUpdater<?> actual = new VectorAdam(schedule).instantiate(state, true);
        assertInstanceOf(VectorAdamUpdater.class, actual);
        Nd4j.getRandom().setSeed(3);
        for (int iteration = 0; iteration < 6; iteration++) {
            INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, PARAMETERS).muli(iteration % 2 == 0 ? 1 : 1e-3);
            INDArray nd4j = gradient.dup();
            INDArray ours = view(gradient);
            expected.applyUpdater(nd4j, iteration, 0);
            actual.applyUpdater(ours, iteration, 0);
            double largest = nd4j.amaxNumber().doubleValue();
            double difference = nd4j.sub(ours).amaxNumber().doubleValue();
            assertTrue(largest > 1e-3 && difference <= TOLERANCE * largest, "update " + iteration + ": differs by "
                    + difference + " of " + largest);
        }
        for (String key : new String[] {"M", "V"}) {
            INDArray nd4jState = expected.getState().get(key);
            double difference = nd4jState.sub(actual.getState().get(key).reshape(nd4jState.shape())).amaxNumber()
                    .doubleValue();
            assertTrue(difference <= TOLERANCE * nd4jState.amaxNumber().doubleValue(), key + " differs by " + difference);
        }
    }

    @Test
    void keepsItsTypeThroughJsonAndClone() throws Exception {
        VectorAdam adam = new VectorAdam(0.003);
        adam.setBeta2(0.98);
        String json = NeuralNetConfiguration.mapper().writeValueAsString(adam);
        IUpdater read = NeuralNetConfiguration.mapper().readValue(json, IUpdater.class);
        assertInstanceOf(VectorAdam.class, read);
        assertEquals(0.003, ((Adam) read).getLearningRate());
        assertEquals(0.98, ((Adam) read).getBeta2());
        assertInstanceOf(VectorAdam.class, adam.clone());
        assertEquals(adam, adam.clone());
    }
}

package org.nmt4j.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.model.ModelConfig;
import org.nmt4j.train.model.Seq2SeqGraph;
import org.nmt4j.train.model.SyntheticTask;
import org.nmt4j.train.model.TrainingBatch;

/** Gradient accumulation, clipping, the learning-rate factor and the refusal of non-finite losses. */
class GradientStepTest {

    private static final ModelConfig MODEL = new ModelConfig(8, 8, 1, 1, "struct-entropy", "general", 1.0, false,
            0.0, false);
    private static final TokenizedCorpus CORPUS = SyntheticTask.corpus(6, 12, 2, 7, true, 5);

    private static ComputationGraph net() {
        return Seq2SeqGraph.build(MODEL, 12, 12, 0.1, new Adam(0.01), 3, DataType.FLOAT);
    }

    private static Batch batch(int... examples) {
        return Batch.assemble(CORPUS, examples, SyntheticTask.IDS, 0, 0);
    }

    private static void add(GradientStep step, Batch batch) {
        step.accumulate(TrainingBatch.of(batch, DataType.FLOAT), TrainingBatch.targetTokens(batch));
    }

    @Test
    void twoAccumulatedBatchesMakeTheSameUpdateAsTheirUnion() {
        ComputationGraph split = net();
        ComputationGraph whole = net();
        GradientStep splitStep = new GradientStep(split, 0, false);
        add(splitStep, batch(0, 1, 2));
        add(splitStep, batch(3, 4, 5));
        assertEquals(2, splitStep.pending());
        GradientStep.Update a = splitStep.apply(0, 0);
        GradientStep wholeStep = new GradientStep(whole, 0, false);
        add(wholeStep, batch(0, 1, 2, 3, 4, 5));
        GradientStep.Update b = wholeStep.apply(0, 0);
        assertEquals(b.tokens(), a.tokens());
        assertEquals(b.loss(), a.loss(), 1e-5);
        assertEquals(b.gradientNorm(), a.gradientNorm(), 1e-5 * b.gradientNorm());
        // Adam's first step moves each parameter by lr·g/(|g| + 1e-8): a gradient component of float-rounding size
        // (1e-9, summed in another order over 3 + 3 examples than over 6) moves by up to 1e-3·lr = 1e-5.
        assertTrue(split.params().equalsWithEps(whole.params(), 1e-5), "parameters differ");
        assertEquals(0, splitStep.pending());
    }

    @Test
    void clippingBoundsTheUpdateAndReportsTheNormBeforeClipping() {
        ComputationGraph net = net();
        INDArray before = net.params().dup();
        GradientStep step = new GradientStep(net, 1e-4, false);
        add(step, batch(0, 1));
        GradientStep.Update update = step.apply(0, 0);
        assertTrue(update.gradientNorm() > 1e-4, "the test needs a gradient larger than the bound");
        // Adam's first step moves each parameter by about lr whatever the scale; the clipped gradient reached it.
        assertTrue(net.params().sub(before).amaxNumber().doubleValue() <= 0.0101);
    }

    @Test
    void aLearningRateFactorMakesTheUpdatesOfTheScaledLearningRate() {
        ComputationGraph scaled = net();
        ComputationGraph halved = Seq2SeqGraph.build(MODEL, 12, 12, 0.1, new Adam(0.005), 3, DataType.FLOAT);
        GradientStep scaledStep = new GradientStep(scaled, 0, false);
        GradientStep halvedStep = new GradientStep(halved, 0, false);
        for (int i = 0; i < 3; i++) {
            add(scaledStep, batch(i, i + 3));
            assertEquals(0.005, scaledStep.apply(i, 0, 0.5).learningRate(), 1e-12);
            add(halvedStep, batch(i, i + 3));
            halvedStep.apply(i, 0);
        }
        assertTrue(scaled.params().equalsWithEps(halved.params(), 1e-6), "parameters differ");
        assertTrue(scaled.params().sub(net().params()).amaxNumber().doubleValue() > 1e-3, "the updates were made");
    }

    @Test
    void aNonFiniteLossLeavesTheParametersUntouched() {
        ComputationGraph net = net();
        net.getParam("output_b").putScalar(0, 0, Float.NaN);
        INDArray before = net.params().dup();
        GradientStep step = new GradientStep(net, 5, false);
        GradientStep.NonFiniteLossException e = assertThrows(GradientStep.NonFiniteLossException.class,
                () -> add(step, batch(0, 1)));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("not updated"), e.getMessage());
        assertEquals(0, step.pending());
        INDArray after = net.params();
        for (long i = 0; i < before.length(); i++) {
            float x = before.getFloat(i);
            assertTrue(Float.isNaN(x) ? Float.isNaN(after.getFloat(i)) : x == after.getFloat(i), "parameter " + i);
        }
    }
}

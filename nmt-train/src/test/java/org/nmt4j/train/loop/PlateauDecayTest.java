package org.nmt4j.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.config.TrainingOptions;

/** The plateau decay: when it reduces, by how much, the floor, warm-up, and the other decays. */
class PlateauDecayTest {

    static TrainingOptions options(String... overrides) throws IOException {
        List<String> all = new ArrayList<>(List.of("train.decay=plateau", "train.learning_rate=0.002",
                "train.warmup_steps=0", "train.plateau_factor=0.5", "train.plateau_patience=2",
                "train.min_learning_rate=0"));
        all.addAll(List.of(overrides));
        return TrainConfig.load(null, all).train();
    }

    /**
     * The learning-rate factor after each of the validations, made every 100 updates with the given dev values of
     * {@code train.best_metric}; "improved" is decided as the Trainer decides it for the best checkpoint.
     */
    static double[] factors(TrainingOptions options, double... values) {
        PlateauDecay decay = PlateauDecay.of(options);
        PlateauDecay.State state = PlateauDecay.State.START;
        double best = Double.NEGATIVE_INFINITY;
        double[] factors = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double value = values[i];
            double score = new Validation(value, value, value, "", 1, 0).score(options.bestMetric());
            boolean improved = score > best;
            best = Math.max(best, score);
            state = decay.after(state, 100 * (i + 1), improved);
            factors[i] = decay.factor(state);
        }
        return factors;
    }

    @Test
    void aHigherIsBetterScoreReducesTheRateAfterPatienceValidationsWithoutImprovement() throws IOException {
        // BLEU: a tie is no improvement; an improvement starts the count again, and so does a reduction.
        assertArrayEquals(new double[] {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.125},
                factors(options("train.best_metric=bleu"), 10, 12, 11, 12, 13, 12.5, 12.9, 1, 2));
        assertArrayEquals(new double[] {1, 1, 1, 1, 0.25},
                factors(options("train.best_metric=chrf", "train.plateau_patience=4", "train.plateau_factor=0.25"),
                        40, 39, 38, 37, 36));
    }

    @Test
    void aLowerIsBetterLossReducesTheRateWhenItStopsFalling() throws IOException {
        TrainingOptions loss = options("train.best_metric=loss");
        assertArrayEquals(new double[] {1, 1, 1, 0.5, 0.5, 0.5, 0.25},
                factors(loss, 5, 4, 4.5, 4, 3.9, 3.95, 4.2));
        // The same values as BLEU: only the first improves.
        assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0.25, 0.25, 0.125},
                factors(options("train.best_metric=bleu"), 5, 4, 4.5, 4, 3.9, 3.95, 4.2));
    }

    @Test
    void theRateNeverGoesBelowTheFloor() throws IOException {
        TrainingOptions options = options("train.best_metric=loss", "train.plateau_patience=1",
                "train.plateau_factor=0.1", "train.min_learning_rate=0.00003");
        double[] factors = factors(options, 3, 3, 3, 3, 3);
        assertArrayEquals(new double[] {1, 0.1, 0.015, 0.015, 0.015}, factors, 1e-12);
        // A floor raised when resuming holds at once.
        PlateauDecay raised = PlateauDecay.of(options("train.min_learning_rate=0.001"));
        assertEquals(0.5, raised.factor(new PlateauDecay.State(0.015, 0)), 1e-12);
    }

    @Test
    void validationsDuringWarmUpDoNotCountAndWarmUpStillRampsTheRate() throws IOException {
        TrainingOptions options = options("train.warmup_steps=250", "train.plateau_patience=1");
        // Validations at updates 100 and 200 are in warm-up; 300 is the first that counts.
        assertArrayEquals(new double[] {1, 1, 0.5, 0.25}, factors(options, 10, 9, 9, 9));
        WarmupSchedule schedule = WarmupSchedule.of(options);
        assertEquals(0.002 / 250, schedule.valueAt(0, 0), 1e-12);
        assertEquals(0.002 * 125 / 250, schedule.valueAt(124, 0), 1e-12);
        assertEquals(0.002, schedule.valueAt(249, 0), 1e-12);
        assertEquals(0.002, schedule.valueAt(100_000, 3), 1e-12, "no step decay besides the plateau");
    }

    @Test
    void theOtherDecaysKeepTheFactorAtOne() throws IOException {
        for (String decay : List.of("inverse_sqrt", "none")) {
            TrainingOptions options = options("train.decay=" + decay, "train.plateau_patience=1");
            assertArrayEquals(new double[] {1, 1, 1, 1}, factors(options, 10, 9, 8, 7), decay);
            assertEquals(1, PlateauDecay.of(options).factor(new PlateauDecay.State(0.25, 0)), decay);
        }
    }
}

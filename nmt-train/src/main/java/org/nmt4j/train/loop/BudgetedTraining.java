package org.nmt4j.train.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.train.config.TrainConfig;

/**
 * Brings a model directory to a {@link TrainingBudget}: trains a new model, continues one whose earlier run was
 * interrupted, or recognises one that is done (it then does nothing). What makes a finished model reusable is the
 * file {@value #DONE_FILE} written when training reaches its budget (or stops early); a model trained with another
 * configuration is refused rather than reused.
 */
public final class BudgetedTraining {

    /** Written into the model directory when training has ended for a budget: {@code {"minutes":…,"steps":…}}. */
    public static final String DONE_FILE = "training-done.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@link #run} did. */
    public enum Outcome {
        /** trained a new model to the budget */
        TRAINED,
        /** continued an interrupted model to the budget */
        RESUMED,
        /** the model had already reached the budget */
        REUSED,
        /** stopped by Ctrl-C: {@code last.zip} is saved, running again continues */
        INTERRUPTED
    }

    private BudgetedTraining() {
    }

    /**
     * @param config    the configuration to train with (its {@code train.max_steps}/{@code max_minutes} are replaced
     *                  by the budget's)
     * @param directory the model directory
     * @throws IllegalArgumentException when the directory holds a model trained with another configuration
     */
    public static Outcome run(TrainConfig config, ModelDirectory directory, TrainingBudget budget, PrintStream console)
            throws IOException {
        Path done = directory.root().resolve(DONE_FILE);
        if (!Files.exists(directory.last())) {
            Files.deleteIfExists(done);
            TrainConfig budgeted = config.with(budget.overrides(0));
            return finish(StopOnSignal.run(new Trainer(budgeted, directory, console), false), directory, budget,
                    Outcome.TRAINED);
        }
        TrainConfig saved = TrainConfig.resume(directory.config(), budget.overrides(0));
        if (!saved.equals(config.with(budget.overrides(0)))) {
            throw new IllegalArgumentException(directory.root() + " holds a model trained with another configuration"
                    + " (compare its config.yaml); delete it or choose another directory");
        }
        if (Files.exists(done) && JSON.readValue(done.toFile(), TrainingBudget.class).equals(budget)) {
            return Outcome.REUSED;
        }
        TrainerState state = TrainerState.fromJson(Checkpoint.read(directory.last()).trainerStateJson());
        if (budget.spent(state.trainingSeconds(), state.step())) {
            markDone(directory, budget);
            return Outcome.REUSED;
        }
        TrainConfig resumed = TrainConfig.resume(directory.config(), budget.overrides(state.trainingSeconds()));
        return finish(StopOnSignal.run(new Trainer(resumed, directory, console), true), directory, budget,
                Outcome.RESUMED);
    }

    private static Outcome finish(Trainer.Summary summary, ModelDirectory directory, TrainingBudget budget,
                                  Outcome outcome) throws IOException {
        if (Trainer.INTERRUPTED.equals(summary.stopReason())) {
            return Outcome.INTERRUPTED;
        }
        markDone(directory, budget);
        return outcome;
    }

    private static void markDone(ModelDirectory directory, TrainingBudget budget) throws IOException {
        Files.writeString(directory.root().resolve(DONE_FILE), JSON.writeValueAsString(budget),
                StandardCharsets.UTF_8);
    }
}

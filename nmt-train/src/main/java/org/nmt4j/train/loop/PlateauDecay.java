package org.nmt4j.train.loop;

import org.nmt4j.train.config.TrainingOptions;

/**
 * The {@code plateau} learning-rate decay ({@code train.decay}): after warm-up, the learning rate is multiplied by
 * {@code train.plateau_factor} each time the dev score of {@code train.best_metric} has not improved for
 * {@code train.plateau_patience} validations in a row, and never taken below {@code train.min_learning_rate}.
 * "Improved" is what makes a new best checkpoint. Validations before the end of warm-up do not count. With another
 * decay the factor stays 1.
 */
public final class PlateauDecay {

    /**
     * Where the decay stands, saved in {@link TrainerState}.
     *
     * @param factor                        multiplier of the scheduled learning rate (1 before any reduction)
     * @param validationsWithoutImprovement validations after warm-up since the last improvement or reduction
     */
    public record State(double factor, int validationsWithoutImprovement) {
        /** Before any validation. */
        public static final State START = new State(1, 0);
    }

    private final boolean enabled;
    private final int warmupSteps;
    private final double reduction;
    private final int patience;
    private final double minFactor;

    /**
     * @param enabled     whether the decay is {@code plateau}
     * @param warmupSteps updates of warm-up; validations before their end do not count
     * @param reduction   multiplier of each reduction, in (0, 1)
     * @param patience    validations without improvement that reduce the rate, positive
     * @param minFactor   the smallest factor ({@code min_learning_rate / learning_rate})
     */
    public PlateauDecay(boolean enabled, int warmupSteps, double reduction, int patience, double minFactor) {
        this.enabled = enabled;
        this.warmupSteps = warmupSteps;
        this.reduction = reduction;
        this.patience = patience;
        this.minFactor = minFactor;
    }

    /** The decay of {@code train.decay}, {@code warmup_steps}, {@code plateau_*} and {@code min_learning_rate}. */
    public static PlateauDecay of(TrainingOptions options) {
        return new PlateauDecay(options.decay().equals("plateau"), options.warmupSteps(), options.plateauFactor(),
                options.plateauPatience(), options.minLearningRate() / options.learningRate());
    }

    /** The state after a validation at update {@code step} that did or did not improve the best score. */
    public State after(State state, int step, boolean improved) {
        if (!enabled || step < warmupSteps) {
            return state;
        }
        if (improved) {
            return new State(state.factor(), 0);
        }
        int without = state.validationsWithoutImprovement() + 1;
        return without < patience ? new State(state.factor(), without)
                : new State(Math.max(state.factor() * reduction, minFactor), 0);
    }

    /**
     * The multiplier of the scheduled learning rate in this state: 1 unless the decay is {@code plateau}, and never
     * below the floor (which a resumed run may have raised).
     */
    public double factor(State state) {
        return enabled ? Math.max(state.factor(), minFactor) : 1;
    }
}

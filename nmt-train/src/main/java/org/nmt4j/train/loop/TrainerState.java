package org.nmt4j.train.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nmt4j.core.data.BatchIteratorState;

/**
 * What a checkpoint stores besides parameters and optimizer state, so that a resumed run continues exactly:
 * the update count, where the batch iterator stands, and the bookkeeping of validation, early stopping and the
 * plateau decay.
 * Dropout randomness is reseeded from the seed and the update count before every batch, so it needs no state.
 *
 * @param step                number of updates done
 * @param iterator            position of the training batch iterator
 * @param trainingSeconds     wall-clock seconds spent training, summed over runs
 * @param targetTokens        target tokens trained on, summed over runs
 * @param bestScore           best validation score so far (higher is better; the negated loss for "loss")
 * @param bestStep            update at which it was reached (0: none yet)
 * @param validationsWithoutImprovement validations since the best one, for early stopping
 * @param plateau             the {@code plateau} learning-rate decay; checkpoints written before it existed read
 *                            as {@link PlateauDecay.State#START}
 */
public record TrainerState(int step, BatchIteratorState iterator, double trainingSeconds, long targetTokens,
        double bestScore, int bestStep, int validationsWithoutImprovement, PlateauDecay.State plateau) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TrainerState {
        plateau = plateau == null ? PlateauDecay.State.START : plateau;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrainerState fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, TrainerState.class);
    }
}

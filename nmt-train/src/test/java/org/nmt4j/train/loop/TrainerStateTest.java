package org.nmt4j.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nmt4j.core.data.BatchIteratorState;

/** The trainer state as checkpoints store it. */
class TrainerStateTest {

    @Test
    void thePlateauDecayIsSavedAndOldCheckpointsReadAsItsStart() throws Exception {
        TrainerState state = new TrainerState(9, new BatchIteratorState(1, 4, 7, 100, 12), 12.5, 900, -3.5, 6, 1,
                new PlateauDecay.State(0.25, 1));
        assertEquals(state, TrainerState.fromJson(state.toJson()));
        String old = state.toJson().replaceFirst(",\"plateau\":\\{[^}]*\\}", "");
        assertEquals(new TrainerState(9, state.iterator(), 12.5, 900, -3.5, 6, 1, PlateauDecay.State.START),
                TrainerState.fromJson(old), old);
    }
}

package org.nmt4j.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingBudgetTest {

    @Test
    void aMinuteBudgetCountsTheMinutesOfEarlierRuns() {
        TrainingBudget budget = new TrainingBudget(20, 0);
        assertEquals(List.of("train.max_steps=0", "train.max_minutes=20.000000"), budget.overrides(0));
        assertEquals(List.of("train.max_steps=0", "train.max_minutes=5.000000"), budget.overrides(15 * 60));
        assertFalse(budget.spent(19.9 * 60, 100_000));
        assertTrue(budget.spent(20 * 60, 0));
        assertEquals("20 minutes", budget.describe());
    }

    @Test
    void aStepBudgetIsTheUpdateLimit() {
        TrainingBudget budget = new TrainingBudget(0, 500);
        assertEquals(List.of("train.max_steps=500", "train.max_minutes=0.000000"), budget.overrides(600));
        assertFalse(budget.spent(1e9, 499));
        assertTrue(budget.spent(0, 500));
        assertEquals("500 updates", budget.describe());
        assertEquals("7.5 minutes or 500 updates", new TrainingBudget(7.5, 500).describe());
    }

    @Test
    void aBudgetNeedsALimitAndNoNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> new TrainingBudget(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingBudget(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> new TrainingBudget(Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> new TrainingBudget(5, -1));
    }
}

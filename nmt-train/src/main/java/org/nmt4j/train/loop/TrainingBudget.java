package org.nmt4j.train.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long a model trains in total, over all its runs: minutes of training time and/or a number of updates (0: no
 * limit of that kind; training stops at whichever comes first). Unlike {@code train.max_minutes}, which counts the
 * current run only, the minutes here include the time of earlier, interrupted runs.
 *
 * @param minutes total training minutes (0: no limit)
 * @param steps   total updates (0: no limit)
 */
public record TrainingBudget(double minutes, int steps) {

    public TrainingBudget {
        if (!(minutes >= 0) || Double.isInfinite(minutes) || steps < 0) {
            throw new IllegalArgumentException("a training budget needs minutes >= 0 and steps >= 0, got " + minutes
                    + " minutes and " + steps + " steps");
        }
        if (minutes == 0 && steps == 0) {
            throw new IllegalArgumentException("a training budget needs a limit: minutes or steps");
        }
    }

    /** Whether a model that has trained {@code secondsDone} seconds and {@code stepsDone} updates is done. */
    public boolean spent(double secondsDone, int stepsDone) {
        return (minutes > 0 && secondsDone >= minutes * 60) || (steps > 0 && stepsDone >= steps);
    }

    /**
     * The {@code train.*} overrides that make a run, after {@code secondsDone} seconds of earlier runs, stop at this
     * budget.
     */
    public List<String> overrides(double secondsDone) {
        List<String> overrides = new ArrayList<>();
        overrides.add("train.max_steps=" + steps);
        overrides.add(String.format(Locale.ROOT, "train.max_minutes=%.6f",
                minutes == 0 ? 0 : Math.max(minutes - secondsDone / 60, 1e-6)));
        return overrides;
    }

    /** E.g. "20 minutes", "500 updates", "20 minutes or 500 updates". */
    public String describe() {
        String time = minutes == 0 ? null : String.format(Locale.ROOT, "%s minutes",
                minutes == Math.rint(minutes) ? Long.toString((long) minutes) : Double.toString(minutes));
        String updates = steps == 0 ? null : steps + " updates";
        return time == null ? updates : updates == null ? time : time + " or " + updates;
    }
}

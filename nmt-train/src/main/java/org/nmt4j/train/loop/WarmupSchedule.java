package org.nmt4j.train.loop;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nmt4j.train.config.TrainingOptions;

/**
 * Learning rate with linear warm-up over {@code warmup} updates, then either constant or inverse-square-root
 * decay: {@code lr · min(step / warmup, sqrt(warmup / step))} (Vaswani et al.), steps counted from 1. The
 * {@code plateau} decay is constant here; {@link PlateauDecay} scales it from the validations.
 */
public final class WarmupSchedule implements ISchedule {

    /** The decays after warm-up. */
    public enum Decay { NONE, INVERSE_SQRT }

    @JsonProperty("peak")
    private final double peak;
    @JsonProperty("warmup")
    private final int warmup;
    @JsonProperty("decay")
    private final Decay decay;

    public WarmupSchedule(@JsonProperty("peak") double peak, @JsonProperty("warmup") int warmup,
                          @JsonProperty("decay") Decay decay) {
        if (!(peak > 0) || warmup < 0 || decay == null) {
            throw new IllegalArgumentException("learning rate must be positive and warm-up non-negative, got "
                    + peak + " and " + warmup);
        }
        this.peak = peak;
        this.warmup = warmup;
        this.decay = decay;
    }

    /** The schedule of {@code train.learning_rate}, {@code train.warmup_steps} and {@code train.decay}. */
    public static WarmupSchedule of(TrainingOptions options) {
        return new WarmupSchedule(options.learningRate(), options.warmupSteps(),
                options.decay().equals("inverse_sqrt") ? Decay.INVERSE_SQRT : Decay.NONE);
    }

    /** @param iteration number of updates done before this one */
    @Override
    public double valueAt(int iteration, int epoch) {
        double step = iteration + 1.0;
        if (step < warmup) {
            return peak * step / warmup;
        }
        return decay == Decay.INVERSE_SQRT && warmup > 0 ? peak * Math.sqrt(warmup / step)
                : decay == Decay.INVERSE_SQRT ? peak / Math.sqrt(step) : peak;
    }

    @Override
    public ISchedule clone() {
        return new WarmupSchedule(peak, warmup, decay);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupSchedule s && s.peak == peak && s.warmup == warmup && s.decay == decay;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(peak) * 31 + warmup * 7 + decay.hashCode();
    }
}

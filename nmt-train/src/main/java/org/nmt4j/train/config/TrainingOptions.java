package org.nmt4j.train.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code train:} section: optimisation, validation, checkpoints and stopping.
 *
 * @param seed             seed of initialisation, batch order and dropout
 * @param batchTokens      maximum padded tokens (source or target) per batch
 * @param accumulate       batches whose gradients are summed into one update
 * @param learningRate     peak Adam learning rate
 * @param warmupSteps      linear warm-up updates
 * @param decay            after warm-up: {@code inverse_sqrt}, {@code plateau} or {@code none}
 * @param plateauFactor    {@code plateau}: multiplier of the learning rate at each reduction, in (0, 1)
 * @param plateauPatience  {@code plateau}: validations in a row without improvement that reduce the rate
 * @param minLearningRate  {@code plateau}: the reductions never take the learning rate below this
 * @param clipNorm         maximum global gradient L2 norm (0: no clipping)
 * @param labelSmoothing   ε of the label-smoothed cross-entropy
 * @param maxSteps         stop after this many updates (0: no limit)
 * @param maxEpochs        stop after this many epochs (0: no limit)
 * @param maxMinutes       stop after this many minutes of training in this run (0: no limit)
 * @param validateEvery    validate (dev loss, greedy BLEU and chrF) every this many updates
 * @param devSentences     validate on the first this many dev pairs (0: all)
 * @param bestMetric       {@code bleu}, {@code chrf} or {@code loss}: what "best checkpoint" means
 * @param patience         stop after this many validations without improvement (0: never)
 * @param keepCheckpoints  how many step checkpoints to keep besides last and best
 * @param averageLast      at the end, average the last this many step checkpoints into {@code averaged.zip} (0: no)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainingOptions(long seed, int batchTokens, int accumulate, double learningRate, int warmupSteps,
        String decay, double plateauFactor, int plateauPatience, double minLearningRate, double clipNorm,
        double labelSmoothing, int maxSteps, int maxEpochs, double maxMinutes, int validateEvery, int devSentences,
        String bestMetric, int patience, int keepCheckpoints, int averageLast) {

    /** The decays. */
    public static final List<String> DECAYS = List.of("inverse_sqrt", "plateau", "none");
    /** The metrics that can choose the best checkpoint. */
    public static final List<String> METRICS = List.of("bleu", "chrf", "loss");

    public TrainingOptions {
        positive("train.batch_tokens", batchTokens);
        positive("train.accumulate", accumulate);
        positive("train.validate_every", validateEvery);
        positive("train.plateau_patience", plateauPatience);
        for (Object[] entry : new Object[][] {{"train.warmup_steps", warmupSteps}, {"train.max_steps", maxSteps},
            {"train.max_epochs", maxEpochs}, {"train.dev_sentences", devSentences}, {"train.patience", patience},
            {"train.keep_checkpoints", keepCheckpoints}, {"train.average_last", averageLast}}) {
            if ((int) entry[1] < 0) {
                throw new IllegalArgumentException(entry[0] + " must not be negative, got " + entry[1]);
            }
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("train.learning_rate must be positive, got " + learningRate);
        }
        if (!(clipNorm >= 0) || !(maxMinutes >= 0)) {
            throw new IllegalArgumentException("train.clip_norm and train.max_minutes must not be negative");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("train.label_smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (!DECAYS.contains(decay)) {
            throw new IllegalArgumentException("train.decay must be one of " + DECAYS + ", got " + decay);
        }
        if (!(plateauFactor > 0 && plateauFactor < 1)) {
            throw new IllegalArgumentException("train.plateau_factor must be in (0, 1), got " + plateauFactor);
        }
        if (!(minLearningRate >= 0) || Double.isInfinite(minLearningRate)) {
            throw new IllegalArgumentException("train.min_learning_rate must not be negative, got "
                    + minLearningRate);
        }
        if (decay.equals("plateau") && minLearningRate > learningRate) {
            throw new IllegalArgumentException("train.min_learning_rate (" + minLearningRate + ") cannot exceed "
                    + "train.learning_rate (" + learningRate + ") with train.decay=plateau");
        }
        if (!METRICS.contains(bestMetric)) {
            throw new IllegalArgumentException("train.best_metric must be one of " + METRICS + ", got " + bestMetric);
        }
        if (averageLast > keepCheckpoints) {
            throw new IllegalArgumentException("train.average_last (" + averageLast + ") cannot exceed "
                    + "train.keep_checkpoints (" + keepCheckpoints + ")");
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }
}

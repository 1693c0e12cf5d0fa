package org.nmt4j.train.loop;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nmt4j.train.model.TiedEmbeddings;

/**
 * One optimizer update of the training graph, built from one or more micro-batches (gradient accumulation):
 * the summed gradient is divided by the number of target tokens, optionally tied, clipped to a global L2 norm,
 * and handed to the graph's updater (Adam with its schedule), exactly as DL4J's own {@code fit} applies it.
 */
public final class GradientStep {

    private final ComputationGraph net;
    private final double clipNorm;
    private final boolean tiedEmbeddings;
    /** The sum of the micro-batch gradients so far, once there is more than one (reused between updates). */
    private INDArray accumulated;
    private double lossSum;
    private long tokens;
    private int microBatches;

    /**
     * @param clipNorm       maximum global gradient L2 norm, or 0 for no clipping
     * @param tiedEmbeddings whether the target embedding and the output projection are tied
     */
    public GradientStep(ComputationGraph net, double clipNorm, boolean tiedEmbeddings) {
        this.net = net;
        this.clipNorm = clipNorm;
        this.tiedEmbeddings = tiedEmbeddings;
    }

    /** Result of one update. */
    public record Update(double loss, long tokens, double gradientNorm, double learningRate) {
    }

    /** Thrown when the loss or the gradient stops being finite; the parameters were not touched. */
    public static final class NonFiniteLossException extends RuntimeException {
        NonFiniteLossException(String message) {
            super(message);
        }
    }

    /** Adds the gradient of one micro-batch holding {@code targetTokens} counted tokens. */
    public void accumulate(MultiDataSet batch, long targetTokens) {
        if (microBatches == 1) {
            // The first micro-batch's gradient is still in the graph's gradient view, which this pass overwrites.
            accumulated = accumulated == null ? net.getFlattenedGradients().dup()
                    : accumulated.assign(net.getFlattenedGradients());
        }
        net.setInputs(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        try {
            net.computeGradientAndScore();
        } catch (IllegalArgumentException e) {
            // The attention operators refuse NaN and infinite inputs and gradients ("... must be finite").
            if (e.getMessage() != null && e.getMessage().contains("finite")) {
                reset();
                throw new NonFiniteLossException("non-finite values in the training pass (" + e.getMessage()
                        + "); parameters were not updated");
            }
            throw e;
        } finally {
            net.clearLayerMaskArrays();
            net.clear(); // stale labels would fix the batch size of DL4J's preprocessors in later output() calls
        }
        double loss = net.score();
        if (!Double.isFinite(loss)) {
            reset();
            throw new NonFiniteLossException("the training loss became " + loss + "; parameters were not updated");
        }
        if (microBatches > 0) {
            accumulated.addi(net.getFlattenedGradients());
        }
        lossSum += loss;
        tokens += targetTokens;
        microBatches++;
    }

    /** Number of micro-batches accumulated since the last update. */
    public int pending() {
        return microBatches;
    }

    /**
     * Applies the accumulated gradient as update number {@code iteration} (0-based; it drives Adam's bias
     * correction and the learning-rate schedule).
     */
    public Update apply(int iteration, int epoch) {
        return apply(iteration, epoch, 1);
    }

    /**
     * As {@link #apply(int, int)}, with the scheduled learning rate multiplied by {@code learningRateFactor}
     * (the {@code plateau} decay): Adam's step is proportional to its learning rate and its moments do not depend
     * on it, so the step the updater computes is scaled.
     */
    public Update apply(int iteration, int epoch, double learningRateFactor) {
        if (microBatches == 0) {
            throw new IllegalStateException("no gradient accumulated");
        }
        INDArray gradient = net.getFlattenedGradients();
        if (microBatches > 1) {
            gradient.assign(accumulated);
        }
        if (tiedEmbeddings) {
            TiedEmbeddings.shareGradients(net);
        }
        // The gradient is divided by the token count and clipped in one pass: the norm of the sum scales with it.
        double perToken = 1.0 / Math.max(tokens, 1);
        double norm = gradient.norm2Number().doubleValue() * perToken;
        if (!Double.isFinite(norm)) {
            reset();
            throw new NonFiniteLossException("the gradient norm became " + norm + "; parameters were not updated");
        }
        gradient.muli(clipNorm > 0 && norm > clipNorm ? perToken * clipNorm / norm : perToken);
        double learningRate = learningRate(iteration, epoch) * learningRateFactor;
        net.getUpdater().update(net.gradient(), iteration, epoch, (int) tokens, LayerWorkspaceMgr.noWorkspaces());
        if (learningRateFactor != 1) {
            gradient.muli(learningRateFactor);
        }
        INDArray parameters = net.params();
        parameters.subi(gradient.reshape(parameters.shape()));
        Update update = new Update(lossSum / Math.max(tokens, 1), tokens, norm, learningRate);
        reset();
        return update;
    }

    /** The learning rate the updater applies at this update (every layer shares one schedule). */
    private double learningRate(int iteration, int epoch) {
        return net.getLayer(0).conf().getLayer().getUpdaterByParam("W").getLearningRate(iteration, epoch);
    }

    private void reset() {
        lossSum = 0;
        tokens = 0;
        microBatches = 0;
    }
}

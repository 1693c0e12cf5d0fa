package org.nmt4j.spark;

import org.apache.spark.util.DoubleAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nmt4j.train.model.TiedEmbeddings;

/**
 * Does on every Spark worker, between DL4J's backward pass and its updater, what nmt-train's {@code GradientStep}
 * does: refuses a non-finite loss or gradient, sums the gradients of tied embeddings, and clips the gradient to a
 * global L2 norm (DL4J's own gradient normalization is per layer). The per-token normalisation is in the loss
 * ({@link TokenMeanCrossEntropy}). The training losses go to a Spark accumulator for the driver's log.
 */
public final class GradientStepListener extends BaseTrainingListener implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Start of the message of the exception thrown on a non-finite loss or gradient. */
    public static final String NON_FINITE = "non-finite training loss or gradient";

    private final double clipNorm;
    private final boolean tiedEmbeddings;
    private final DoubleAccumulator losses;

    /**
     * @param clipNorm       maximum global gradient L2 norm, or 0 for no clipping
     * @param tiedEmbeddings whether the target embedding and the output projection are tied
     * @param losses         receives each update's per-token training loss (may be null)
     */
    public GradientStepListener(double clipNorm, boolean tiedEmbeddings, DoubleAccumulator losses) {
        this.clipNorm = clipNorm;
        this.tiedEmbeddings = tiedEmbeddings;
        this.losses = losses;
    }

    /**
     * Whether {@code e} (or a cause, e.g. of a failed Spark job) is this listener's refusal or the attention
     * operators' ("… must be finite"), which see NaN and infinity before the listener does.
     */
    public static boolean isNonFinite(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains(NON_FINITE) || message.contains("must be finite"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onGradientCalculation(Model model) {
        ComputationGraph net = (ComputationGraph) model;
        double loss = net.score();
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException(NON_FINITE + ": the loss became " + loss);
        }
        if (tiedEmbeddings) {
            TiedEmbeddings.shareGradients(net);
        }
        INDArray gradient = net.getFlattenedGradients();
        double norm = gradient.norm2Number().doubleValue();
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException(NON_FINITE + ": the gradient norm became " + norm);
        }
        if (clipNorm > 0 && norm > clipNorm) {
            gradient.muli(clipNorm / norm);
        }
        if (losses != null) {
            losses.add(loss);
        }
    }
}

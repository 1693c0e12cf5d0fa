package org.nmt4j.train.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Label-smoothed cross-entropy over a softmax output, with the labels given as class indices ({@code [rows, 1]},
 * as DL4J's RNN output layer passes {@code [batch, 1, time]} labels): the target distribution is
 * {@code (1 - ε)·onehot(y) + ε / V}. Scores are <em>sums</em> over the unmasked rows (tokens); the trainer
 * divides by the token count, so padding never counts.
 */
public final class LabelSmoothedCrossEntropy implements ILossFunction {

    @JsonProperty("smoothing")
    private double smoothing;

    /** For JSON deserialization. */
    public LabelSmoothedCrossEntropy() {
        this(0.0);
    }

    /** @param smoothing ε in [0, 1) */
    public LabelSmoothedCrossEntropy(@JsonProperty("smoothing") double smoothing) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    public double getSmoothing() {
        return smoothing;
    }

    private static void checkActivation(IActivation activation) {
        if (!(activation instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("LabelSmoothedCrossEntropy needs a softmax output, got " + activation);
        }
    }

    /** Smoothed target distribution {@code [rows, V]} from index labels {@code [rows, 1]}. */
    private INDArray targets(INDArray labels, long classes, INDArray like) {
        if (labels.size(1) != 1) {
            throw new IllegalArgumentException("labels must be class indices of shape [rows, 1], got "
                    + java.util.Arrays.toString(labels.shape()));
        }
        INDArray indices = labels.reshape(labels.length()).castTo(org.nd4j.linalg.api.buffer.DataType.INT);
        double off = smoothing / classes;
        return Nd4j.exec(new OneHot(indices, (int) classes, -1, 1.0 - smoothing + off, off, like.dataType()))[0];
    }

    private static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }

    private static INDArray rowMask(INDArray mask, long rows) {
        return mask == null ? null : mask.reshape(rows, 1);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkActivation(activationFn);
        INDArray perRow = targets(labels, preOutput.size(1), preOutput).muli(logSoftmax(preOutput)).sum(true, 1)
                .negi();
        INDArray m = rowMask(mask, preOutput.size(0));
        return m == null ? perRow : perRow.muli(m.castTo(perRow.dataType()));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        if (!average) {
            return sum;
        }
        double rows = mask == null ? preOutput.size(0) : mask.sumNumber().doubleValue();
        return rows == 0 ? 0 : sum / rows;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return lossAndGradient(labels, preOutput, activationFn, mask).gradient();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        LossAndGradient result = lossAndGradient(labels, preOutput, activationFn, mask);
        double rows = mask == null ? preOutput.size(0) : mask.sumNumber().doubleValue();
        double score = !average ? result.loss() : rows == 0 ? 0 : result.loss() / rows;
        return new Pair<>(score, result.gradient());
    }

    /** The summed loss over the unmasked rows and its gradient with respect to the logits. */
    public record LossAndGradient(double loss, INDArray gradient) {
    }

    /**
     * {@link #computeScore} (not averaged) and {@link #computeGradient} from one log-softmax of the logits:
     * {@code softmax - targets} on the unmasked rows, zero on the others.
     */
    public LossAndGradient lossAndGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                                           INDArray mask) {
        checkActivation(activationFn);
        INDArray targets = targets(labels, preOutput.size(1), preOutput);
        INDArray logProbs = logSoftmax(preOutput);
        INDArray perRow = targets.mul(logProbs).sum(true, 1).negi();
        INDArray gradient = Transforms.exp(logProbs, false).subi(targets);
        INDArray m = rowMask(mask, preOutput.size(0));
        if (m != null) {
            INDArray rowWeights = m.castTo(gradient.dataType());
            perRow.muli(rowWeights);
            gradient.muliColumnVector(rowWeights);
        }
        return new LossAndGradient(perRow.sumNumber().doubleValue(), gradient);
    }

    @Override
    public String name() {
        return "LabelSmoothedCrossEntropy(" + smoothing + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSmoothedCrossEntropy other && other.smoothing == smoothing;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(smoothing);
    }

    @Override
    public String toString() {
        return name();
    }
}

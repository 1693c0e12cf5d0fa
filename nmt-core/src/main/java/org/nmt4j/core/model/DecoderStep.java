package org.nmt4j.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one {@link Seq2SeqModel#step} gives for N hypotheses.
 *
 * @param logits    the unnormalised scores of the next token, {@code [N, V]} float, row-major ('c' order, so
 *                  {@code logits.data().asFloat()} reads row after row); searches that only rank the tokens of
 *                  one row need no normalisation, {@link LogSumExp} gives each row's log-normaliser
 * @param attention the attention weights of this step, {@code [N, S]} float with S the padded source length;
 *                  zero past each hypothesis' source length
 * @param state     the state after reading the previous tokens, for the next step
 */
public record DecoderStep(INDArray logits, INDArray attention, DecoderState state) {

    /** The log-probabilities of the next token, {@code [N, V]} float: the log-softmax of each row of the logits. */
    public INDArray logProbs() {
        INDArray logProbs = Nd4j.createUninitialized(DataType.FLOAT, logits.size(0), logits.size(1));
        Nd4j.exec(new LogSoftMax(logits, logProbs));
        return logProbs;
    }
}

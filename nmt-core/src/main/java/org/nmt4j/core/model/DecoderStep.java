package org.nmt4j.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one {@link Seq2SeqModel#step} gives for N hypotheses.
 *
 * @param logProbs  log-probabilities of the next token, {@code [N, V]} float, row-major ('c' order, so
 *                  {@code logProbs.data().asFloat()} reads row after row)
 * @param attention the attention weights of this step, {@code [N, S]} float with S the padded source length;
 *                  zero past each hypothesis' source length
 * @param state     the state after reading the previous tokens, for the next step
 */
public record DecoderStep(INDArray logProbs, INDArray attention, DecoderState state) {
}

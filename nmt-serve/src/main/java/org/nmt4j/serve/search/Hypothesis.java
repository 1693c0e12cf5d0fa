package org.nmt4j.serve.search;

/**
 * A finished translation hypothesis.
 *
 * @param ids       target ids, without bos and eos
 * @param score     {@code logProb} normalized by the {@link LengthPenalty}: what the n-best list is sorted by
 * @param logProb   {@code log p(y|x)}: the sum of the log-probabilities of the ids and, unless the hypothesis was
 *                  cut at the length bound, of the final eos
 * @param attention with {@link BeamOptions#alignments()}: for each id, the attention weights over the source
 *                  subwords (eos included) at the step that produced it, {@code [ids.length][|x| + 1]}; else null
 */
public record Hypothesis(int[] ids, double score, double logProb, float[][] attention) {
}

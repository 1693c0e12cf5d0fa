package org.nmt4j.core.text;

/**
 * The ids of the special pieces. nmt4j's SentencePiece models (corpora-scripts/train-spm.sh) use {@link #NMT4J}.
 *
 * @param pad padding, never predicted
 * @param unk unknown piece
 * @param bos beginning of sentence
 * @param eos end of sentence
 */
public record SpecialIds(int pad, int unk, int bos, int eos) {

    /** pad=0, unk=1, bos=2, eos=3. */
    public static final SpecialIds NMT4J = new SpecialIds(0, 1, 2, 3);
}

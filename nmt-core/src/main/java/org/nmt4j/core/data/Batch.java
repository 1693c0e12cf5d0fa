package org.nmt4j.core.data;

import java.util.Arrays;
import org.nmt4j.core.text.SpecialIds;

/**
 * A padded batch of pairs, rows in the same order in every array.
 *
 * <p>Conventions (x = source ids, y = target ids, as tokenized):
 * <ul>
 *   <li>{@code source} row = x + eos, padded with pad to the longest row; {@code sourceLengths} = |x| + 1;</li>
 *   <li>{@code targetInput} row = bos + y (what the decoder reads), {@code targetOutput} row = y + eos (what it
 *       must predict), both padded with pad; {@code targetLengths} = |y| + 1 for both.</li>
 * </ul>
 *
 * @param epoch epoch this batch belongs to
 * @param indexInEpoch position of this batch in the epoch's batch order
 * @param examples indices of the pairs in the {@link TokenizedCorpus}
 * @param lineIndices 0-based line indices of the pairs in the original files
 */
public record Batch(int epoch, int indexInEpoch, int[] examples, long[] lineIndices, int[][] source,
        int[] sourceLengths, int[][] targetInput, int[][] targetOutput, int[] targetLengths) {

    /** Builds the padded batch of the given pairs. */
    public static Batch assemble(TokenizedCorpus corpus, int[] examples, SpecialIds ids, int epoch, int indexInEpoch) {
        int n = examples.length;
        long[] lines = new long[n];
        int[] srcLen = new int[n];
        int[] tgtLen = new int[n];
        int maxSrc = 0;
        int maxTgt = 0;
        for (int r = 0; r < n; r++) {
            lines[r] = corpus.lineIndex(examples[r]);
            srcLen[r] = corpus.source(examples[r]).length + 1;
            tgtLen[r] = corpus.target(examples[r]).length + 1;
            maxSrc = Math.max(maxSrc, srcLen[r]);
            maxTgt = Math.max(maxTgt, tgtLen[r]);
        }
        int[][] src = new int[n][maxSrc];
        int[][] in = new int[n][maxTgt];
        int[][] out = new int[n][maxTgt];
        for (int r = 0; r < n; r++) {
            int[] x = corpus.source(examples[r]);
            int[] y = corpus.target(examples[r]);
            Arrays.fill(src[r], ids.pad());
            Arrays.fill(in[r], ids.pad());
            Arrays.fill(out[r], ids.pad());
            System.arraycopy(x, 0, src[r], 0, x.length);
            src[r][x.length] = ids.eos();
            in[r][0] = ids.bos();
            System.arraycopy(y, 0, in[r], 1, y.length);
            System.arraycopy(y, 0, out[r], 0, y.length);
            out[r][y.length] = ids.eos();
        }
        return new Batch(epoch, indexInEpoch, examples.clone(), lines, src, srcLen, in, out, tgtLen);
    }

    /** Number of pairs. */
    public int size() {
        return examples.length;
    }

    /** Padded source size: rows × longest row. */
    public int paddedSourceTokens() {
        return examples.length * (source.length == 0 ? 0 : source[0].length);
    }

    /** Padded target size: rows × longest row (the same for input and output). */
    public int paddedTargetTokens() {
        return examples.length * (targetInput.length == 0 ? 0 : targetInput[0].length);
    }
}

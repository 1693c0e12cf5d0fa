package org.nmt4j.serve.translate;

import java.util.List;
import java.util.StringJoiner;

/**
 * The attention of one translation: for each target piece, the weights over the source pieces the model read.
 *
 * @param source  the source pieces, as translated (cut to {@link TranslationModel#maxSourceSubwords()}), then the
 *                eos piece {@code </s>}; empty for a line without subwords, which the model does not see
 * @param target  the target pieces of the translation; eos is not one of them (the step that produced it has no
 *                row)
 * @param weights {@code weights[j][i]}: the attention of target piece j on source piece i, at the step that produced
 *                piece j; each row sums to 1
 */
public record Alignment(List<String> source, List<String> target, float[][] weights) {

    /** The alignment of a line without subwords. */
    public static final Alignment EMPTY = new Alignment(List.of(), List.of(), new float[0][]);

    /**
     * The hard alignment in Pharaoh format: pairs {@code i-j} (source piece i, target piece j, both 0-based),
     * separated by spaces, one per target piece in target order. Source piece i is the one with the largest weight
     * in row j, eos excluded (the first on ties), as fairseq's {@code --print-alignment}. A row with no weight on
     * the source pieces other than eos (possible with sparse attention) gives no pair.
     */
    public String pharaoh() {
        StringJoiner pairs = new StringJoiner(" ");
        int pieces = source.size() - 1;
        for (int j = 0; j < weights.length; j++) {
            int best = -1;
            for (int i = 0; i < pieces; i++) {
                if (weights[j][i] > 0 && (best < 0 || weights[j][i] > weights[j][best])) {
                    best = i;
                }
            }
            if (best >= 0) {
                pairs.add(best + "-" + j);
            }
        }
        return pairs.toString();
    }
}

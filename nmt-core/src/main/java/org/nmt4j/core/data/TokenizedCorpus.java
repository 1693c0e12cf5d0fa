package org.nmt4j.core.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nmt4j.core.text.SubwordTokenizer;

/**
 * A parallel corpus held in memory as subword ids: one {@code int[]} per side and pair (without bos/eos), plus each
 * pair's 0-based line index in the original files. About 4 bytes per subword plus ~40 bytes per pair and side: the
 * 28.5k-pair Bible training set takes under 10 MB. Build it with {@link #tokenize}, which streams the text.
 */
public final class TokenizedCorpus {

    private final int[][] source;
    private final int[][] target;
    private final long[] lineIndex;
    private final long droppedTooManySubwords;

    /**
     * @param source source ids per pair, each non-empty
     * @param target target ids per pair, each non-empty
     * @param lineIndex original 0-based line index per pair
     * @param droppedTooManySubwords pairs left out for exceeding a subword limit (for reporting)
     */
    public TokenizedCorpus(int[][] source, int[][] target, long[] lineIndex, long droppedTooManySubwords) {
        if (source.length != target.length || source.length != lineIndex.length) {
            throw new IllegalArgumentException("sizes differ: " + source.length + " sources, " + target.length
                    + " targets, " + lineIndex.length + " line indices");
        }
        for (int i = 0; i < source.length; i++) {
            if (source[i].length == 0 || target[i].length == 0) {
                throw new IllegalArgumentException("pair " + i + " (line index " + lineIndex[i] + ") has an empty side");
            }
        }
        this.source = source;
        this.target = target;
        this.lineIndex = lineIndex;
        this.droppedTooManySubwords = droppedTooManySubwords;
    }

    /**
     * Tokenizes every pair the reader yields, dropping (and counting) pairs with more than {@code maxSourceIds}
     * source or {@code maxTargetIds} target subwords. The reader's own counts stay in {@code reader.stats()}.
     * A corpus that filters to nothing is an {@link IllegalArgumentException} naming the files and the counts.
     */
    public static TokenizedCorpus tokenize(ParallelTextReader reader, SubwordTokenizer sourceTokenizer,
            SubwordTokenizer targetTokenizer, int maxSourceIds, int maxTargetIds) throws IOException {
        List<int[]> src = new ArrayList<>();
        List<int[]> tgt = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        long dropped = 0;
        for (SentencePair pair = reader.next(); pair != null; pair = reader.next()) {
            int[] s = sourceTokenizer.encode(pair.source());
            int[] t = targetTokenizer.encode(pair.target());
            if (s.length > maxSourceIds || t.length > maxTargetIds) {
                dropped++;
                continue;
            }
            src.add(s);
            tgt.add(t);
            lines.add(pair.lineIndex());
        }
        if (src.isEmpty()) {
            throw new IllegalArgumentException("no sentence pairs left in " + reader.describeFiles()
                    + " after filtering (" + reader.stats() + ", " + dropped + " over the subword limits "
                    + maxSourceIds + "/" + maxTargetIds + ")");
        }
        return new TokenizedCorpus(src.toArray(new int[0][]), tgt.toArray(new int[0][]),
                lines.stream().mapToLong(Long::longValue).toArray(), dropped);
    }

    public int size() {
        return source.length;
    }

    /** Source ids of pair {@code i} (not copied: do not modify). */
    public int[] source(int i) {
        return source[i];
    }

    /** Target ids of pair {@code i} (not copied: do not modify). */
    public int[] target(int i) {
        return target[i];
    }

    /** 0-based line index of pair {@code i} in the original files. */
    public long lineIndex(int i) {
        return lineIndex[i];
    }

    /** Pairs dropped by {@link #tokenize} for too many subwords. */
    public long droppedTooManySubwords() {
        return droppedTooManySubwords;
    }
}

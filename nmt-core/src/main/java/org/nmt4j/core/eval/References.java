package org.nmt4j.core.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference translations of a test set: for each segment, one or more non-empty reference
 * strings. As in sacreBLEU, an empty reference is skipped (so references per segment may vary,
 * signature {@code nrefs:var}), and a segment left with no reference is an error.
 */
public final class References {

    private final List<List<String>> segments;
    private final String numRefs;

    private References(List<List<String>> segments, String numRefs) {
        this.segments = segments;
        this.numRefs = numRefs;
    }

    /** One reference per segment. */
    public static References single(List<String> references) {
        return of(List.of(references));
    }

    /**
     * References given as streams, each stream one complete reference translation of the test set
     * (sacreBLEU's {@code refs} argument).
     *
     * @throws IllegalArgumentException if the streams differ in length or a segment has no non-empty reference
     */
    public static References of(List<List<String>> streams) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("no reference stream given");
        }
        int n = streams.get(0).size();
        for (int s = 1; s < streams.size(); s++) {
            if (streams.get(s).size() != n) {
                throw new IllegalArgumentException("reference stream " + (s + 1) + " has " + streams.get(s).size()
                        + " segments but reference stream 1 has " + n);
            }
        }
        List<List<String>> segments = new ArrayList<>(n);
        int minRefs = Integer.MAX_VALUE;
        int maxRefs = 0;
        for (int i = 0; i < n; i++) {
            List<String> refs = new ArrayList<>(streams.size());
            for (List<String> stream : streams) {
                String ref = stream.get(i);
                if (ref != null && !ref.isEmpty()) {
                    refs.add(ref);
                }
            }
            if (refs.isEmpty()) {
                throw new IllegalArgumentException("empty reference for segment " + (i + 1)
                        + " (sacreBLEU rejects segments without a reference)");
            }
            minRefs = Math.min(minRefs, refs.size());
            maxRefs = Math.max(maxRefs, refs.size());
            segments.add(List.copyOf(refs));
        }
        String label = n == 0 || minRefs == maxRefs ? Integer.toString(n == 0 ? streams.size() : maxRefs) : "var";
        return new References(List.copyOf(segments), label);
    }

    /** The number of segments. */
    public int size() {
        return segments.size();
    }

    /** The non-empty references of segment {@code i} (0-based). */
    public List<String> get(int i) {
        return segments.get(i);
    }

    /** The {@code nrefs} field of the signature: the number of references, or {@code var}. */
    public String numRefsLabel() {
        return numRefs;
    }

    /** Throws unless there is exactly one hypothesis per segment. */
    void checkAligned(List<String> hypotheses) {
        if (hypotheses.size() != segments.size()) {
            throw new IllegalArgumentException("the hypotheses have " + hypotheses.size()
                    + " segments but the references have " + segments.size());
        }
    }
}

package org.nmt4j.serve.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nmt4j.core.model.DecoderState;
import org.nmt4j.core.model.DecoderStep;
import org.nmt4j.core.model.EncodedSource;
import org.nmt4j.core.model.LogSumExp;
import org.nmt4j.core.model.Seq2SeqModel;
import org.nmt4j.core.text.SpecialIds;

/**
 * Beam search over many sentences at once: the live hypotheses of all sentences are the rows of one
 * {@link DecoderState}, so each step is one batched {@link Seq2SeqModel#step}.
 *
 * <p>Each sentence has K slots ({@link BeamOptions#beamSize()}). At every step each of its live hypotheses is
 * extended by every target token, and the {@code K − finished} best extensions by log-probability
 * {@code log p(y|x)} are kept (ties: the extension of the better-ranked hypothesis, then the lower token id). A
 * kept extension by eos finishes (eos scored, not in the ids); one that reaches the sentence's maximum length
 * {@code floor(a·|x| + b)} finishes there without eos; the others stay live. A sentence is done when K hypotheses
 * have finished: no live one is left then, so its n-best list (the finished hypotheses sorted by
 * {@link LengthPenalty length-normalized} score, best first) cannot be overtaken by a hypothesis still running,
 * whatever the length penalty. The penalty ranks finished hypotheses; it does not steer the pruning. The list has
 * fewer than K entries only when fewer outputs exist (a length bound of 0 gives the one empty hypothesis, score 0).
 *
 * <p>Consequences: K = 1 is {@link org.nmt4j.core.model.GreedySearch}; a K at least the number of possible outputs
 * makes the search exhaustive. With {@link BeamOptions#noRepeatNgram()} N &gt; 0, an extension that would contain
 * an n-gram of N tokens a second time is not considered; eos is never blocked. Like greedy search, every target id
 * may be produced (a trained model gives pad and bos no probability).
 *
 * <p>Stateless; {@link #search} may run on several threads at once.
 */
public final class BeamSearch {

    private static final int[] NONE = new int[0];

    private final Seq2SeqModel model;
    private final SpecialIds ids;
    private final BeamOptions options;

    public BeamSearch(Seq2SeqModel model, SpecialIds ids, BeamOptions options) {
        this.model = model;
        this.ids = ids;
        this.options = options;
    }

    public BeamOptions options() {
        return options;
    }

    /**
     * Translates a batch of sentences.
     *
     * @param sources one row per sentence, ids with the trailing eos, as {@link Seq2SeqModel#encode} takes them
     * @return per sentence, in input order, its n-best list: at most K hypotheses, best first
     */
    public List<List<Hypothesis>> search(int[][] sources) {
        EncodedSource encoded = model.encode(sources);
        int vocab = model.targetVocabSize();
        int beam = options.beamSize();
        List<List<Hypothesis>> finished = new ArrayList<>();
        int[] maxLength = new int[sources.length];
        List<Node> live = new ArrayList<>();
        for (int s = 0; s < sources.length; s++) {
            finished.add(new ArrayList<>());
            maxLength[s] = options.maxLength(sources[s].length - 1);
            Node root = new Node(null, s, ids.bos(), 0, 0, null);
            if (maxLength[s] == 0) {
                finished.get(s).add(finish(root, 0, 0));
            } else {
                live.add(root);
            }
        }
        DecoderState state = model.start(encoded);
        if (!live.isEmpty() && live.size() < sources.length) {
            state = state.select(live.stream().mapToInt(Node::sentence).toArray());
        }
        TopK top = new TopK(beam);
        boolean[] blocked = new boolean[vocab];
        while (!live.isEmpty()) {
            DecoderStep step = model.step(state, live.stream().mapToInt(Node::token).toArray());
            float[] logits = step.logits().data().asFloat();
            double[] normalizers = LogSumExp.rows(logits, live.size(), vocab);
            float[][] attention = options.alignments() ? step.attention().toFloatMatrix() : null;
            List<Node> next = new ArrayList<>();
            int[] keep = new int[live.size() * beam];
            int to;
            for (int from = 0; from < live.size(); from = to) {
                int s = live.get(from).sentence();
                to = from;
                while (to < live.size() && live.get(to).sentence() == s) {
                    to++;
                }
                List<Hypothesis> done = finished.get(s);
                top.reset(beam - done.size());
                for (int row = from; row < to; row++) {
                    offerExtensions(top, live.get(row), logits, normalizers[row], row, (row - from) * vocab, blocked);
                }
                for (int i = 0; i < top.size(); i++) {
                    int row = from + top.index(i) / vocab;
                    int token = top.index(i) % vocab;
                    Node parent = live.get(row);
                    if (token == ids.eos()) {
                        done.add(finish(parent, top.score(i), parent.length() + 1));
                        continue;
                    }
                    Node child = new Node(parent, s, token, top.score(i), parent.length() + 1,
                            attention == null ? null : Arrays.copyOf(attention[row], encoded.length(s)));
                    if (child.length() == maxLength[s]) {
                        done.add(finish(child, child.logProb(), child.length()));
                    } else {
                        keep[next.size()] = row;
                        next.add(child);
                    }
                }
            }
            if (!next.isEmpty()) {
                state = step.state().select(Arrays.copyOf(keep, next.size()));
            }
            live = next;
        }
        for (List<Hypothesis> list : finished) {
            list.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        }
        return finished;
    }

    /**
     * Offers every allowed extension of {@code node}, the hypothesis in {@code row} of the step, to {@code top} as
     * {@code base + token}, scored {@code log p(node) + logit − normalizer}.
     */
    private void offerExtensions(TopK top, Node node, float[] logits, double normalizer, int row, int base,
                                 boolean[] blocked) {
        int vocab = blocked.length;
        int[] banned = repeatedNgramEnds(node);
        for (int token : banned) {
            blocked[token] = true;
        }
        int offset = row * vocab;
        double score = node.logProb() - normalizer;
        for (int token = 0; token < vocab; token++) {
            if (!blocked[token]) {
                top.offer(score + logits[offset + token], base + token);
            }
        }
        for (int token : banned) {
            blocked[token] = false;
        }
    }

    /** The tokens that would give {@code node} an n-gram of N tokens it already contains. */
    private int[] repeatedNgramEnds(Node node) {
        int n = options.noRepeatNgram();
        if (n == 0 || node.length() < n) {
            return NONE;
        }
        int[] y = node.tokens();
        int context = n - 1;
        int[] ends = new int[y.length - context];
        int count = 0;
        for (int start = 0; start + context < y.length; start++) {
            if (Arrays.equals(y, start, start + context, y, y.length - context, y.length)) {
                ends[count++] = y[start + context];
            }
        }
        return Arrays.copyOf(ends, count);
    }

    private Hypothesis finish(Node node, double logProb, int scoredTokens) {
        return new Hypothesis(node.tokens(), options.lengthPenalty().normalize(logProb, scoredTokens), logProb,
                options.alignments() ? node.attentionRows() : null);
    }

    /**
     * A live hypothesis: its last token, linked to the hypothesis it extends (the root holds bos and length 0).
     *
     * @param attention the attention row of the step that produced {@code token}, or null
     */
    private record Node(Node parent, int sentence, int token, double logProb, int length, float[] attention) {

        int[] tokens() {
            int[] y = new int[length];
            Node node = this;
            for (int i = length - 1; i >= 0; i--, node = node.parent) {
                y[i] = node.token;
            }
            return y;
        }

        float[][] attentionRows() {
            float[][] rows = new float[length][];
            Node node = this;
            for (int i = length - 1; i >= 0; i--, node = node.parent) {
                rows[i] = node.attention;
            }
            return rows;
        }
    }
}

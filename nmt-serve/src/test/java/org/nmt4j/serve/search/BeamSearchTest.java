package org.nmt4j.serve.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nmt4j.serve.TinyModels.IDS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nmt4j.core.model.DecoderState;
import org.nmt4j.core.model.DecoderStep;
import org.nmt4j.core.model.GreedySearch;
import org.nmt4j.core.model.ModelLayout;
import org.nmt4j.core.model.Seq2SeqModel;
import org.nmt4j.serve.TinyModels;

/** Beam search on small random models, against brute-force enumeration and greedy search. */
class BeamSearchTest {

    static final double TOLERANCE = 1e-4;

    /** Beam search with raw log-probability ranking and a length bound of exactly {@code maxLength}. */
    static BeamSearch search(Seq2SeqModel model, int beam, LengthPenalty penalty, int maxLength) {
        return new BeamSearch(model, IDS, new BeamOptions(beam, penalty, 0, maxLength, 0, false));
    }

    /** Every output of at most {@code maxLength} tokens, as its ids and {@code log p(y|x)}. */
    record Output(List<Integer> ids, double logProb, int scoredTokens) {
    }

    /** Enumerates all outputs by stepping the model over every prefix, level by level. */
    static List<Output> enumerate(Seq2SeqModel model, int[] source, int maxLength) {
        int vocab = model.targetVocabSize();
        List<Output> outputs = new ArrayList<>();
        List<List<Integer>> prefixes = List.of(List.of());
        double[] scores = {0};
        DecoderState state = model.start(model.encode(new int[][] {source}));
        for (int length = 0; !prefixes.isEmpty(); length++) {
            int[] last = prefixes.stream().mapToInt(p -> p.isEmpty() ? IDS.bos() : p.get(p.size() - 1)).toArray();
            DecoderStep step = model.step(state, last);
            float[][] logProbs = step.logProbs().toFloatMatrix();
            List<List<Integer>> next = new ArrayList<>();
            List<Double> nextScores = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < prefixes.size(); r++) {
                outputs.add(new Output(prefixes.get(r), scores[r] + logProbs[r][IDS.eos()], length + 1));
                for (int token = 0; token < vocab; token++) {
                    if (token == IDS.eos()) {
                        continue;
                    }
                    List<Integer> extended = new ArrayList<>(prefixes.get(r));
                    extended.add(token);
                    double score = scores[r] + logProbs[r][token];
                    if (length + 1 == maxLength) {
                        outputs.add(new Output(extended, score, length + 1));
                    } else {
                        next.add(extended);
                        nextScores.add(score);
                        rows.add(r);
                    }
                }
            }
            if (!next.isEmpty()) {
                state = step.state().select(rows.stream().mapToInt(Integer::intValue).toArray());
            }
            prefixes = next;
            scores = nextScores.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return outputs;
    }

    static List<Integer> list(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }

    /** With a beam as large as the number of outputs, the n-best list is the brute-force ranking. */
    @ParameterizedTest
    @ValueSource(strings = {"plain 0", "gnmt 1.0", "plain 0.6", "gnmt 0.6"})
    void exhaustiveBeamRanksEveryOutputLikeBruteForce(String penaltyText) {
        String[] parts = penaltyText.split(" ");
        LengthPenalty penalty = new LengthPenalty(LengthPenalty.Kind.parse(parts[0]), Double.parseDouble(parts[1]));
        int vocab = 6;
        int maxLength = 3;
        Seq2SeqModel model = TinyModels.model(vocab, 3, 1.5);
        int[] source = TinyModels.sources(vocab, 4, 4)[0];
        List<Output> all = enumerate(model, source, maxLength);
        assertEquals(1 + 5 + 25 + 125, all.size());
        Map<List<Integer>, Output> byIds = new HashMap<>();
        all.forEach(o -> byIds.put(o.ids(), o));
        List<Double> ranked = all.stream().map(o -> penalty.normalize(o.logProb(), o.scoredTokens()))
                .sorted(Comparator.reverseOrder()).toList();

        List<Hypothesis> nBest = search(model, all.size(), penalty, maxLength).search(new int[][] {source}).get(0);
        assertEquals(all.size(), nBest.size());
        for (int i = 0; i < nBest.size(); i++) {
            Hypothesis h = nBest.get(i);
            Output expected = byIds.get(list(h.ids()));
            assertEquals(expected.logProb(), h.logProb(), TOLERANCE, "log-probability of " + list(h.ids()));
            assertEquals(penalty.normalize(expected.logProb(), expected.scoredTokens()), h.score(), TOLERANCE);
            assertEquals(ranked.get(i), h.score(), TOLERANCE, "score at rank " + i);
        }
    }

    /**
     * With α = 0, a beam of the vocabulary size keeps every prefix of a 1- or 2-token bound and a beam of V² every
     * prefix of a 3-token bound, so the best hypothesis is the true best output.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void wideBeamFindsTheTrueBestOutput(int maxLength) {
        int vocab = 7;
        Seq2SeqModel model = TinyModels.model(vocab, 11, 1.0);
        int beam = maxLength < 3 ? vocab : vocab * vocab;
        for (int[] source : TinyModels.sources(vocab, 12, 3, 6, 1)) {
            Output best = enumerate(model, source, maxLength).stream()
                    .max(Comparator.comparingDouble(Output::logProb)).orElseThrow();
            Hypothesis found = search(model, beam, LengthPenalty.NONE, maxLength).search(new int[][] {source})
                    .get(0).get(0);
            assertEquals(best.ids(), list(found.ids()));
            assertEquals(best.logProb(), found.score(), TOLERANCE);
        }
    }

    @Test
    void beamOfOneIsGreedySearch() {
        int vocab = 19;
        Seq2SeqModel model = TinyModels.model(vocab, 5, 0.3);
        int[][] sources = TinyModels.sources(vocab, 6, 3, 9, 1, 6, 2, 8, 4, 5);
        int[][] greedy = new GreedySearch(model, IDS, 1.5, 1).translate(sources);
        BeamOptions options = new BeamOptions(1, new LengthPenalty(LengthPenalty.Kind.GNMT, 1.0), 1.5, 1, 0, false);
        List<List<Hypothesis>> beam = new BeamSearch(model, IDS, options).search(sources);
        boolean stoppedAtEos = false;
        for (int s = 0; s < sources.length; s++) {
            assertEquals(1, beam.get(s).size());
            assertArrayEquals(greedy[s], beam.get(s).get(0).ids(), "sentence " + s);
            stoppedAtEos |= greedy[s].length < options.maxLength(sources[s].length - 1);
        }
        assertTrue(stoppedAtEos, "some sentence should end at eos rather than the length bound");
    }

    @Test
    void nBestListsAreSortedDistinctAndScoredByThePenalty() {
        int vocab = 19;
        Seq2SeqModel model = TinyModels.model(vocab, 7, 0.5);
        LengthPenalty penalty = new LengthPenalty(LengthPenalty.Kind.GNMT, 0.6);
        BeamSearch search = new BeamSearch(model, IDS, new BeamOptions(5, penalty, 1.5, 2, 0, false));
        for (List<Hypothesis> nBest : search.search(TinyModels.sources(vocab, 8, 4, 7, 1, 10))) {
            assertEquals(5, nBest.size());
            Set<List<Integer>> distinct = new HashSet<>();
            for (int i = 0; i < nBest.size(); i++) {
                Hypothesis h = nBest.get(i);
                assertTrue(distinct.add(list(h.ids())), "repeated hypothesis " + list(h.ids()));
                if (i > 0) {
                    assertTrue(nBest.get(i - 1).score() >= h.score(), "not sorted at rank " + i);
                }
                double withEos = penalty.normalize(h.logProb(), h.ids().length + 1);
                double atBound = penalty.normalize(h.logProb(), h.ids().length);
                assertTrue(Math.abs(h.score() - withEos) < 1e-9 || Math.abs(h.score() - atBound) < 1e-9);
            }
        }
    }

    @Test
    void aBatchGivesWhatEachSentenceGetsAlone() {
        int vocab = 19;
        Seq2SeqModel model = TinyModels.model(vocab, 9, 0.5);
        BeamOptions options = new BeamOptions(4, new LengthPenalty(LengthPenalty.Kind.PLAIN, 1.0), 2, 3, 2, true);
        BeamSearch search = new BeamSearch(model, IDS, options);
        int[][] sources = TinyModels.sources(vocab, 10, 5, 1, 8, 3, 3, 6, 12);
        List<List<Hypothesis>> batched = search.search(sources);
        for (int s = 0; s < sources.length; s++) {
            List<Hypothesis> alone = search.search(new int[][] {sources[s]}).get(0);
            assertEquals(alone.size(), batched.get(s).size());
            for (int i = 0; i < alone.size(); i++) {
                Hypothesis a = alone.get(i);
                Hypothesis b = batched.get(s).get(i);
                assertArrayEquals(a.ids(), b.ids(), "sentence " + s + " rank " + i);
                assertEquals(a.score(), b.score(), TOLERANCE);
                for (int t = 0; t < a.ids().length; t++) {
                    assertArrayEquals(a.attention()[t], b.attention()[t], 1e-5f);
                }
            }
        }
    }

    @Test
    void alignmentsHaveOneAttentionRowPerOutputToken() {
        int vocab = 19;
        Seq2SeqModel model = TinyModels.model(vocab, 13, 0.5);
        int[][] sources = TinyModels.sources(vocab, 14, 2, 7, 4);
        BeamOptions options = new BeamOptions(3, LengthPenalty.NONE, 1.5, 2, 0, true);
        List<List<Hypothesis>> found = new BeamSearch(model, IDS, options).search(sources);
        for (int s = 0; s < sources.length; s++) {
            for (Hypothesis h : found.get(s)) {
                assertEquals(h.ids().length, h.attention().length);
                for (float[] row : h.attention()) {
                    assertEquals(sources[s].length, row.length);
                    double sum = 0;
                    for (float w : row) {
                        sum += w;
                    }
                    assertEquals(1.0, sum, 1e-4);
                }
            }
        }
    }

    /** A model that prefers one token repeats it; blocking n-grams of size N forbids any repeated N-gram. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void repeatedNgramsAreBlocked(int n) {
        int vocab = 19;
        var parameters = TinyModels.parameters(vocab, 15, 0);
        INDArray bias = parameters.get(ModelLayout.param(ModelLayout.OUTPUT, "b"));
        bias.putScalar(7, bias.getDouble(7) + 4);
        Seq2SeqModel model = new Seq2SeqModel(TinyModels.CONFIG, parameters);
        int[][] sources = TinyModels.sources(vocab, 16, 6, 3, 9);

        List<List<Hypothesis>> free = new BeamSearch(model, IDS, new BeamOptions(3, LengthPenalty.NONE, 2, 4, 0,
                false)).search(sources);
        assertTrue(hasRepeatedNgram(free.get(0).get(0).ids(), n), "the unblocked model should repeat");
        List<List<Hypothesis>> blocked = new BeamSearch(model, IDS, new BeamOptions(3, LengthPenalty.NONE, 2, 4, n,
                false)).search(sources);
        for (List<Hypothesis> nBest : blocked) {
            assertEquals(3, nBest.size());
            for (Hypothesis h : nBest) {
                assertFalse(hasRepeatedNgram(h.ids(), n), list(h.ids()) + " repeats a " + n + "-gram");
            }
        }
    }

    static boolean hasRepeatedNgram(int[] ids, int n) {
        Set<List<Integer>> seen = new HashSet<>();
        for (int start = 0; start + n <= ids.length; start++) {
            if (!seen.add(list(Arrays.copyOfRange(ids, start, start + n)))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aLengthBoundOfZeroGivesTheEmptyHypothesis() {
        Seq2SeqModel model = TinyModels.model(7, 17, 0);
        int[][] sources = TinyModels.sources(7, 18, 3, 5);
        List<List<Hypothesis>> found = search(model, 4, LengthPenalty.NONE, 0).search(sources);
        for (List<Hypothesis> nBest : found) {
            assertEquals(1, nBest.size());
            assertEquals(0, nBest.get(0).ids().length);
            assertEquals(0.0, nBest.get(0).score());
        }
    }
}

package org.nmt4j.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the metrics and of the paired bootstrap that hold whatever the data. */
class EvalPropertiesTest {

    private static final String[] WORDS = {"the", "cat", "sat", "on", "mat", "dog", "ran", "fast", "1,000",
        "3.5", "e-mail", "Zürich", "naïve", "\"quoted\"", "(paren)", "end.", "why?", "日本", "🙂", "don't"};

    private static List<String> corpus(Random random, int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 1 + random.nextInt(15);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < len; j++) {
                sb.append(j == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    private static List<String> perturb(Random random, List<String> refs, double p) {
        List<String> out = new ArrayList<>();
        for (String ref : refs) {
            StringBuilder sb = new StringBuilder();
            for (String w : ref.split(" ")) {
                if (random.nextDouble() >= p) {
                    sb.append(sb.length() == 0 ? "" : " ").append(random.nextDouble() < p ? WORDS[random.nextInt(WORDS.length)] : w);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void identicalHypothesesScoreOneHundred() {
        List<String> refs = corpus(new Random(1), 200);
        assertEquals(100.0, new Bleu().corpusScore(refs, References.single(refs)).score(), 1e-9);
        assertEquals(100.0, new Chrf().corpusScore(refs, References.single(refs)).score(), 1e-9);
    }

    @Test
    void permutingTheCorpusChangesNothing() {
        Random random = new Random(2);
        List<String> refs = corpus(random, 300);
        List<String> hyps = perturb(random, refs, 0.3);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        List<String> permRefs = order.stream().map(refs::get).toList();
        List<String> permHyps = order.stream().map(hyps::get).toList();
        for (CorpusMetric metric : List.of(new Bleu(), new Chrf())) {
            double score = metric.corpusScore(hyps, References.single(refs)).score();
            assertTrue(score > 5 && score < 95, metric.name() + " " + score);
            assertEquals(score, metric.corpusScore(permHyps, References.single(permRefs)).score(), 0.0, metric.name());
        }
    }

    @Test
    void emptyHypothesesScoreZeroWithZeroBrevityPenalty() {
        List<String> refs = corpus(new Random(3), 10);
        List<String> empty = Collections.nCopies(10, "");
        BleuScore bleu = (BleuScore) new Bleu().corpusScore(empty, References.single(refs));
        assertEquals(0.0, bleu.score());
        assertEquals(0.0, bleu.bp());
        assertEquals(0, bleu.sysLen());
        assertEquals(0.0, new Chrf().corpusScore(empty, References.single(refs)).score());
    }

    @Test
    void misalignedOrEmptyReferencesAreRejected() {
        List<String> refs = List.of("a b", "c d");
        assertThrows(IllegalArgumentException.class, () -> new Bleu().corpusScore(List.of("a b"), References.single(refs)));
        assertThrows(IllegalArgumentException.class, () -> References.single(List.of("a", "")));
    }

    @Test
    void systemAgainstItselfHasTheSmallestPossiblePValue() {
        // sacreBLEU counts resamples with (|d| - mean|d|) > actual |d|; with d = 0 everywhere none
        // does, so p = 1 / (resamples + 1): a zero difference "should not be attributed to chance".
        Random random = new Random(4);
        List<String> refs = corpus(random, 100);
        List<String> hyps = perturb(random, refs, 0.3);
        PairedBootstrap test = new PairedBootstrap(200, PairedBootstrap.DEFAULT_SEED);
        List<List<BootstrapResult>> r = test.run(List.of(hyps, hyps), References.single(refs),
                List.of(new Bleu(), new Chrf()));
        for (int m = 0; m < 2; m++) {
            BootstrapResult base = r.get(0).get(m);
            BootstrapResult self = r.get(1).get(m);
            assertTrue(base.isBaseline());
            assertEquals(1.0 / 201, self.pValue(), 1e-12);
            assertEquals(base.mean(), self.mean(), 0.0);
            assertEquals(base.ci(), self.ci(), 0.0);
            assertEquals(base.score(), base.mean(), 3 * base.ci());
            assertTrue(base.ci() > 0);
        }
    }

    @Test
    void closeSystemsAreNotSignificantlyDifferentAndFarOnesAre() {
        Random random = new Random(5);
        List<String> refs = corpus(random, 400);
        List<String> base = perturb(random, refs, 0.2);
        // the same system with one segment changed: a tiny delta, well within chance
        List<String> close = new ArrayList<>(base);
        close.set(0, refs.get(0));
        List<String> far = perturb(random, refs, 0.6);
        PairedBootstrap test = new PairedBootstrap(PairedBootstrap.DEFAULT_RESAMPLES, PairedBootstrap.DEFAULT_SEED);
        List<List<BootstrapResult>> r = test.run(List.of(base, close, far), References.single(refs), List.of(new Bleu()));
        assertTrue(r.get(1).get(0).pValue() > 0.05, "close: " + r.get(1).get(0));
        assertEquals(1.0 / 1001, r.get(2).get(0).pValue(), 1e-12, "far: " + r.get(2).get(0));
        // a different seed draws different resamples
        List<List<BootstrapResult>> other = new PairedBootstrap(1000, 1).run(List.of(base, far), References.single(refs),
                List.of(new Bleu()));
        assertEquals(r.get(0).get(0).score(), other.get(0).get(0).score(), 0.0);
        assertNotEquals(r.get(0).get(0).mean(), other.get(0).get(0).mean());
    }

    @Test
    void intervalUsesTheOrderStatisticsSacrebleuUses() {
        double[] scores = new double[1000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 999 - i;
        }
        double[] ci = PairedBootstrap.meanAndInterval(scores);
        assertEquals(499.5, ci[0], 1e-12);
        // lower index 1000 // 40 = 25, upper index 1000 - 25 - 1 = 974
        assertEquals(0.5 * (974 - 25), ci[1], 1e-12);
    }

    @Test
    void pythonRounding() {
        assertEquals("0.12", PyText.fixed(0.125, 2));
        assertEquals("2.67", PyText.fixed(2.675, 2));
        assertEquals("-0.00", PyText.fixed(-0.001, 2));
        assertEquals("48.53", PyText.fixed(48.530827, 2));
    }
}

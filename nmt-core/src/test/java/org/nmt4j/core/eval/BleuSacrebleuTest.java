package org.nmt4j.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BLEU against the figures of sacreBLEU's own test suite and README, kept with their source in
 * {@code src/test/resources/eval/bleu_cases.json}.
 */
class BleuSacrebleuTest {

    private static final JsonNode CASES = EvalFixtures.load("bleu_cases.json");
    private static final String VERSION_SUFFIX = "|version:" + CorpusMetric.SACREBLEU_VERSION;

    private static References readmeRefs() {
        List<List<String>> streams = new ArrayList<>();
        CASES.get("readme_refs").forEach(s -> streams.add(EvalFixtures.strings(s)));
        return References.of(streams);
    }

    private static BleuTokenizer tokenizer(String name) {
        return switch (name) {
            case "13a" -> new Tokenizer13a();
            case "none" -> BleuTokenizer.none();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static double value(JsonNode node) {
        return node == null || node.isNull() ? Double.NaN : node.asDouble();
    }

    @Test
    void corpusBleu() {
        for (JsonNode c : CASES.get("corpus_bleu").get("cases")) {
            List<String> hyps = c.get("hyps").isTextual() ? EvalFixtures.strings(CASES.get("readme_hyps"))
                    : EvalFixtures.strings(c.get("hyps"));
            Bleu bleu = new Bleu(tokenizer(c.get("tokenize").asText()), Smoothing.fromLabel(c.get("smooth").asText()),
                    Double.NaN, 4, false);
            assertEquals(c.get("expected").asDouble(), bleu.corpusScore(hyps, readmeRefs()).score(), 1e-8, c.toString());
        }
    }

    @Test
    void maxNgramOrder() {
        List<String> hyps = EvalFixtures.strings(CASES.get("readme_hyps"));
        for (JsonNode c : CASES.get("max_ngram_order").get("cases")) {
            Bleu bleu = new Bleu(new Tokenizer13a(), Smoothing.EXP, Double.NaN, c.get("order").asInt(), false);
            assertEquals(c.get("expected").asText(), PyText.fixed(bleu.corpusScore(hyps, readmeRefs()).score(), 2),
                    c.toString());
        }
    }

    /** sacreBLEU's {@code raw_corpus_bleu}: floor smoothing, no tokenization, effective order. */
    private static Bleu rawCorpusBleu(double floor) {
        return new Bleu(BleuTokenizer.none(), Smoothing.FLOOR, floor, 4, true);
    }

    @Test
    void rawCorpusBleuAndEffectiveOrder() {
        for (JsonNode c : CASES.get("raw_corpus_bleu").get("cases")) {
            MetricScore s = rawCorpusBleu(0.01).corpusScore(EvalFixtures.strings(c.get("hyps")),
                    References.single(EvalFixtures.strings(c.get("refs"))));
            assertEquals(c.get("expected").asDouble(), s.score() / 100, 1e-8, c.toString());
        }
    }

    @Test
    void statisticsAndFloorOffset() {
        JsonNode c = CASES.get("statistics");
        List<String> hyp = List.of(c.get("hyp").asText());
        References ref = References.single(List.of(c.get("ref").asText()));
        BleuScore s = (BleuScore) rawCorpusBleu(0.01).corpusScore(hyp, ref);
        assertArrayEquals(EvalFixtures.doubles(c.get("counts")), s.counts());
        assertArrayEquals(EvalFixtures.doubles(c.get("totals")), s.totals());
        assertEquals(c.get("floor_0_expected").asDouble(), rawCorpusBleu(0.0).corpusScore(hyp, ref).score() / 100, 1e-8);
        assertEquals(c.get("floor_default_expected").asDouble(),
                rawCorpusBleu(Double.NaN).corpusScore(hyp, ref).score() / 100, 1e-8);
    }

    @Test
    void computeBleuFromStatistics() {
        JsonNode c = CASES.get("compute_bleu");
        JsonNode s = c.get("scoring");
        Bleu none = new Bleu(new Tokenizer13a(), Smoothing.NONE, Double.NaN, 4, false);
        assertEquals(s.get("expected").asDouble(), none.compute(EvalFixtures.doubles(s.get("correct")),
                EvalFixtures.doubles(s.get("total")), s.get("sys_len").asLong(), s.get("ref_len").asLong()).score() / 100,
                1e-8);
        for (JsonNode d : c.get("degenerate")) {
            Bleu floor = new Bleu(new Tokenizer13a(), Smoothing.FLOOR, d.get("offset").asDouble(), 4, false);
            double score = floor.compute(EvalFixtures.doubles(d.get("correct")), EvalFixtures.doubles(d.get("total")),
                    d.get("sys_len").asLong(), d.get("ref_len").asLong()).score();
            assertEquals(0.0, score, d.toString());
        }
    }

    @Test
    void readmeExamplesWithTwoAndVariableReferences() {
        JsonNode c = CASES.get("readme");
        List<String> hyps = EvalFixtures.strings(CASES.get("readme_hyps"));
        Bleu bleu = new Bleu();
        References refs = readmeRefs();
        assertEquals(c.get("full_refs_line").asText(), bleu.corpusScore(hyps, refs).format(2));
        assertEquals(c.get("full_refs_signature").asText() + VERSION_SUFFIX, bleu.signature(refs));
        assertEquals(c.get("chrf_line").asText(), new Chrf().corpusScore(hyps, refs).format(2));

        List<List<String>> streams = new ArrayList<>();
        CASES.get("readme_refs").forEach(s -> streams.add(new ArrayList<>(EvalFixtures.strings(s))));
        streams.get(0).set(0, "");
        References varRefs = References.of(streams);
        assertEquals(c.get("var_refs_first_ref_removed_line").asText(), bleu.corpusScore(hyps, varRefs).format(2));
        assertEquals(c.get("var_refs_signature").asText() + VERSION_SUFFIX, bleu.signature(varRefs));
    }

    @Test
    void sentenceBleuWithEverySmoothingMethod() {
        JsonNode c = CASES.get("sentence_bleu");
        for (JsonNode k : c.get("cases")) {
            Bleu bleu = new Bleu(tokenizer(k.get("tokenize").asText()), Smoothing.fromLabel(k.get("smooth").asText()),
                    value(k.get("value")), 4, true);
            assertEquals(k.get("expected").asDouble(),
                    bleu.sentenceScore(c.get("hyp").asText(), List.of(c.get("ref").asText())).score(), 1e-3, k.toString());
        }
        for (JsonNode k : c.get("zero_cases")) {
            Bleu bleu = new Bleu(new Tokenizer13a(), Smoothing.fromLabel(k.get("smooth").asText()),
                    value(k.get("value")), 4, true);
            assertEquals(0.0, bleu.sentenceScore(c.get("zero_hyp").asText(), List.of(c.get("zero_ref").asText())).score(),
                    1e-3, k.toString());
        }
    }

    @Test
    void signatureOfTheDefaults() {
        References one = References.single(List.of("a"));
        assertEquals("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp" + VERSION_SUFFIX, new Bleu().signature(one));
        assertEquals("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no" + VERSION_SUFFIX, new Chrf().signature(one));
        // sacrebleu/metrics/bleu.py BLEUSignature: methods with a value show it with two decimals
        assertEquals("case:mixed|eff:no|tok:13a|smooth:floor[0.10]",
                new Bleu(new Tokenizer13a(), Smoothing.FLOOR, Double.NaN, 4, false).signatureFields());
        assertEquals("case:mixed|eff:no|tok:13a|smooth:add-k[1.00]",
                new Bleu(new Tokenizer13a(), Smoothing.ADD_K, Double.NaN, 4, false).signatureFields());
    }
}

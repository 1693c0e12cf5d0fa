package org.nmt4j.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * chrF against the figures of sacreBLEU's {@code test/test_chrf.py}, kept with their source in
 * {@code src/test/resources/eval/chrf_cases.json}.
 */
class ChrfSacrebleuTest {

    private static final JsonNode CASES = EvalFixtures.load("chrf_cases.json");

    private static void check(String group, Chrf chrf) {
        JsonNode cases = CASES.get(group).get("cases");
        for (JsonNode c : cases) {
            double score = chrf.corpusScore(EvalFixtures.strings(c.get("hyps")),
                    References.single(EvalFixtures.strings(c.get("refs")))).score();
            assertEquals(c.get("expected").asDouble(), score, 1e-4, group + " " + c);
        }
    }

    @Test
    void epsilonSmoothing() {
        check("eps_smoothing", new Chrf(6, 3, false, true));
    }

    @Test
    void effectiveOrder() {
        check("effective_order", new Chrf(6, 3, false, false));
    }

    @Test
    void keepWhitespace() {
        check("keep_whitespace", new Chrf(6, 3, true, false));
    }

    @Test
    void sentenceLevelCzech() {
        check("sentence_level", new Chrf(6, 2, false, true));
    }
}

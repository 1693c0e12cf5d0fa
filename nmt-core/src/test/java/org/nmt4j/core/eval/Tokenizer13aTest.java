package org.nmt4j.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@link Tokenizer13a} on {@code eval/tokenizer_13a_cases.json}: punctuation, numbers, dashes,
 * XML entities, Unicode punctuation (left attached), Unicode whitespace (split as Python splits),
 * {@code <skipped>}, supplementary characters. The expected strings were produced under CPython
 * 3.11 by a transcription of sacreBLEU's {@code tokenizers/tokenizer_13a.py} and
 * {@code tokenizer_re.py} (the same four {@code re} patterns and replacements).
 */
class Tokenizer13aTest {

    @Test
    void tokenizesAsSacrebleu() {
        JsonNode cases = EvalFixtures.load("tokenizer_13a_cases.json");
        assertTrue(cases.size() >= 16);
        Tokenizer13a tok = new Tokenizer13a();
        for (JsonNode c : cases) {
            assertEquals(c.get("expected").asText(), tok.tokenize(c.get("input").asText()), c.get("input").asText());
        }
    }
}

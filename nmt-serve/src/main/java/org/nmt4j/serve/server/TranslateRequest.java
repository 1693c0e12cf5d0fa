package org.nmt4j.serve.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /translate}: {@code {"text": "…"}} or {@code {"texts": ["…", …]}}, with the optional
 * {@code "beam"} (integer), {@code "n_best"} (integer, at most the beam) and {@code "alignments"} (boolean).
 *
 * @param texts      the sentences, in request order
 * @param beam       beam size
 * @param nBest      translations returned per sentence
 * @param alignments whether translations carry their alignment
 */
record TranslateRequest(List<String> texts, int beam, int nBest, boolean alignments) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> FIELDS = Set.of("text", "texts", "beam", "n_best", "alignments");

    /**
     * Parses and checks a body against the server's limits.
     *
     * @throws BadRequestException saying what is wrong: malformed JSON, an unknown field, a value of the wrong type,
     *                             or a value beyond a limit (naming the limit)
     */
    static TranslateRequest parse(byte[] body, ServerOptions options) throws BadRequestException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequestException("the body must be a JSON object with \"text\" or \"texts\"");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new BadRequestException("unknown field \"" + name + "\"; the fields are text, texts, beam, "
                        + "n_best and alignments");
            }
        }
        List<String> texts = texts(root, options);
        int beam = integer(root, "beam", options.defaultBeam(), 1, options.maxBeam());
        int nBest = integer(root, "n_best", 1, 1, beam);
        JsonNode alignments = root.get("alignments");
        if (alignments != null && !alignments.isBoolean()) {
            throw new BadRequestException("\"alignments\" must be true or false");
        }
        return new TranslateRequest(texts, beam, nBest, alignments != null && alignments.booleanValue());
    }

    private static List<String> texts(JsonNode root, ServerOptions options) throws BadRequestException {
        JsonNode text = root.get("text");
        JsonNode texts = root.get("texts");
        if ((text == null) == (texts == null)) {
            throw new BadRequestException("give either \"text\" (a string) or \"texts\" (an array of strings)");
        }
        List<String> result = new ArrayList<>();
        if (text != null) {
            if (!text.isTextual()) {
                throw new BadRequestException("\"text\" must be a string");
            }
            result.add(checkLength(text.textValue(), "\"text\"", options));
            return result;
        }
        if (!texts.isArray()) {
            throw new BadRequestException("\"texts\" must be an array of strings");
        }
        if (texts.size() > options.maxSentences()) {
            throw new BadRequestException("\"texts\" has " + texts.size() + " sentences; the limit is "
                    + options.maxSentences() + " per request");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (!texts.get(i).isTextual()) {
                throw new BadRequestException("\"texts\"[" + i + "] must be a string");
            }
            result.add(checkLength(texts.get(i).textValue(), "\"texts\"[" + i + "]", options));
        }
        return result;
    }

    private static String checkLength(String text, String name, ServerOptions options) throws BadRequestException {
        int chars = text.codePointCount(0, text.length());
        if (chars > options.maxChars()) {
            throw new BadRequestException(name + " has " + chars + " characters; the limit is " + options.maxChars()
                    + " per sentence");
        }
        return text;
    }

    private static int integer(JsonNode root, String name, int defaultValue, int min, int max)
            throws BadRequestException {
        JsonNode node = root.get(name);
        if (node == null) {
            return defaultValue;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < min || node.intValue() > max) {
            throw new BadRequestException("\"" + name + "\" must be an integer from " + min + " to " + max + ", got "
                    + node);
        }
        return node.intValue();
    }
}

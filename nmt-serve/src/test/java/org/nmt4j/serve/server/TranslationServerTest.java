package org.nmt4j.serve.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.TinyModels;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.search.BeamSearch;
import org.nmt4j.serve.translate.Translation;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.serve.translate.Translator;

/** {@code nmt serve}'s API over real HTTP on a random model with a real SentencePiece model. */
class TranslationServerTest {

    static final ServerOptions OPTIONS = new ServerOptions(3, 8, 32, 4096, 20, 200, 2);
    static final String[] SENTENCES = {"el perro come.", "la casa grande.", "el gato pequeño corre.",
        "el niño come la canción.", "agua y tierra.", "el cielo grande y la casa pequeña.", "la canción corre.",
        "el perro y el gato."};
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TranslationModel model;
    static TranslationServer server;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        ModelDirectory directory = TinyModels.directory(dir, 40);
        model = TranslationModel.load(directory, "best");
        server = TranslationServer.start(model, ModelInfo.of(directory, "best", model, OPTIONS), OPTIONS,
                "127.0.0.1", 0);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        model.close();
    }

    record Reply(int status, JsonNode body) {
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    static Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("content-type").orElse(""),
                response.body());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    static Reply post(String body) throws IOException, InterruptedException {
        return send(request("/translate").POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build());
    }

    static String json(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }

    /** What {@link Translator} gives, sentence by sentence, with the server's search. */
    static List<List<Translation>> expected(List<String> texts, int beam, boolean alignments) {
        return Translator.beam(model, new BeamSearch(model.model(), model.target().specialIds(),
                BeamOptions.defaults(beam, alignments)), 1, 1, w -> { }).translate(texts, 1);
    }

    @Test
    void oneSentenceIsTranslatedAsByTheTranslator() throws Exception {
        Reply reply = post(json(Map.of("text", SENTENCES[0])));
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(1, reply.body().get("translations").size());
        assertEquals(expected(List.of(SENTENCES[0]), OPTIONS.defaultBeam(), false).get(0).get(0).text(),
                reply.body().get("translations").get(0).asText());
    }

    @Test
    void severalSentencesWithNBestListsAndScores() throws Exception {
        List<String> texts = List.of(SENTENCES[1], "", SENTENCES[2], SENTENCES[3]);
        Reply reply = post(json(Map.of("texts", texts, "beam", 4, "n_best", 3)));
        assertEquals(200, reply.status(), reply.body().toString());
        List<List<Translation>> expected = expected(texts, 4, false);
        JsonNode translations = reply.body().get("translations");
        assertEquals(texts.size(), translations.size());
        for (int i = 0; i < texts.size(); i++) {
            List<Translation> list = expected.get(i).subList(0, Math.min(3, expected.get(i).size()));
            assertEquals(list.size(), translations.get(i).size(), "sentence " + i);
            for (int k = 0; k < list.size(); k++) {
                JsonNode t = translations.get(i).get(k);
                assertEquals(list.get(k).text(), t.get("text").asText());
                assertEquals(list.get(k).score(), t.get("score").asDouble(), 1e-6);
            }
        }
        Reply plain = post(json(Map.of("texts", texts, "beam", 4)));
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(expected.get(i).get(0).text(), plain.body().get("translations").get(i).asText());
        }
    }

    @Test
    void alignmentsOnRequest() throws Exception {
        Reply reply = post(json(Map.of("text", SENTENCES[5], "alignments", true)));
        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode t = reply.body().get("translations").get(0);
        Translation expected = expected(List.of(SENTENCES[5]), OPTIONS.defaultBeam(), true).get(0).get(0);
        assertEquals(expected.text(), t.get("text").asText());
        assertEquals(expected.alignment().pharaoh(), t.get("alignment").asText());
        assertEquals(expected.alignment().source(), JSON.convertValue(t.get("source"), List.class));
        assertEquals(expected.alignment().target(), JSON.convertValue(t.get("target"), List.class));
        assertEquals(expected.alignment().target().size(), t.get("weights").size());
    }

    /** 16 requests at once, of one to three sentences and two beam sizes: each gets its own translations. */
    @Test
    void concurrentRequestsAreAllAnsweredCorrectly() throws Exception {
        List<List<String>> texts = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int r = 0; r < 16; r++) {
            List<String> request = new ArrayList<>();
            for (int s = 0; s <= r % 3; s++) {
                request.add(SENTENCES[(r + 3 * s) % SENTENCES.length]);
            }
            texts.add(request);
            String body = json(Map.of("texts", request, "beam", 1 + r % 2 * 2));
            responses.add(client.sendAsync(request("/translate").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString(UTF_8)));
        }
        for (int r = 0; r < 16; r++) {
            HttpResponse<String> response = responses.get(r).get();
            assertEquals(200, response.statusCode(), response.body());
            JsonNode translations = JSON.readTree(response.body()).get("translations");
            List<List<Translation>> expected = expected(texts.get(r), 1 + r % 2 * 2, false);
            assertEquals(texts.get(r).size(), translations.size());
            for (int s = 0; s < texts.get(r).size(); s++) {
                assertEquals(expected.get(s).get(0).text(), translations.get(s).asText(), "request " + r);
            }
        }
    }

    /** Each bad request gets a JSON error naming the problem, and the server goes on answering. */
    @Test
    void badRequestsGetJsonErrorsAndTheServerGoesOn() throws Exception {
        assertError(post("{\"text\": \"el perro"), 400, "malformed JSON");
        assertError(post("{\"text\": \"el perro\"} {}"), 400, "malformed JSON");
        assertError(post("[\"el perro\"]"), 400, "must be a JSON object");
        assertError(post(""), 400, "must be a JSON object");
        assertError(post("{\"text\": 5}"), 400, "\"text\" must be a string");
        assertError(post("{\"texts\": \"el perro\"}"), 400, "\"texts\" must be an array of strings");
        assertError(post("{\"texts\": [\"a\", null]}"), 400, "\"texts\"[1] must be a string");
        assertError(post("{\"text\": \"a\", \"texts\": [\"b\"]}"), 400, "give either");
        assertError(post("{\"text\": \"a\", \"beam\": \"5\"}"), 400, "\"beam\" must be an integer from 1 to 8");
        assertError(post("{\"text\": \"a\", \"beam\": 2.5}"), 400, "\"beam\" must be an integer from 1 to 8");
        assertError(post("{\"text\": \"a\", \"beam\": 99}"), 400, "\"beam\" must be an integer from 1 to 8");
        assertError(post("{\"text\": \"a\", \"beam\": 2, \"n_best\": 3}"), 400, "\"n_best\" must be an integer "
                + "from 1 to 2");
        assertError(post("{\"text\": \"a\", \"alignments\": \"yes\"}"), 400, "\"alignments\" must be true or false");
        assertError(post("{\"text\": \"a\", \"nbest\": 2}"), 400, "unknown field \"nbest\"");
        assertError(post(json(Map.of("texts", List.of("a", "b".repeat(201))))), 400,
                "\"texts\"[1] has 201 characters; the limit is 200 per sentence");
        assertError(post(json(Map.of("texts", Collections.nCopies(21, "a")))), 400,
                "the limit is 20 per request");
        assertWorks();
    }

    @Test
    void anOversizeBodyIs413WithOrWithoutContentLength() throws Exception {
        String big = json(Map.of("text", "a".repeat(5000)));
        assertError(post(big), 413, "the limit is 4096 bytes");
        assertWorks();
        // Without Content-Length (chunked): the limit is found while reading.
        HttpRequest chunked = request("/translate").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(big.getBytes(UTF_8)))).build();
        assertError(send(chunked), 413, "the limit is 4096 bytes");
        assertWorks();
    }

    @Test
    void healthInfoAndUnknownPaths() throws Exception {
        Reply health = send(request("/health").GET().build());
        assertEquals(200, health.status());
        assertEquals("ok", health.body().get("status").asText());

        Reply info = send(request("/info").GET().build());
        assertEquals(200, info.status());
        assertEquals(dir.resolve("model").toString(), info.body().get("model_dir").asText());
        assertEquals("best", info.body().get("checkpoint").asText());
        assertEquals("softmax", info.body().get("attention").asText());
        assertEquals("es", info.body().get("source_language").asText());
        assertEquals("en", info.body().get("target_language").asText());
        assertEquals(model.source().vocabSize(), info.body().get("source_vocab_size").asInt());
        assertEquals(model.target().vocabSize(), info.body().get("target_vocab_size").asInt());
        assertEquals(40, info.body().get("max_source_subwords").asInt());
        assertEquals(200, info.body().get("limits").get("max_chars").asInt());

        assertError(send(request("/nowhere").GET().build()), 404, "no endpoint /nowhere");
        assertError(send(request("/translate").GET().build()), 405, "/translate takes POST only");
        assertError(send(request("/health").POST(HttpRequest.BodyPublishers.noBody()).build()), 405,
                "/health takes GET only");
        assertWorks();
    }

    /** Jetty's own error replies are JSON too. */
    @Test
    void aMalformedHttpRequestGetsAJsonError() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /translate HTTP/1.1\r\nHost: localhost\r\nContent-Length: many\r\n"
                    + "\r\n").getBytes(US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 400 "), reply);
            assertTrue(reply.contains("Content-Type: application/json"), reply);
            assertTrue(reply.contains("{\"error\":\"Bad Request"), reply);
        }
        assertWorks();
    }

    static void assertError(Reply reply, int status, String message) {
        assertEquals(status, reply.status(), reply.body().toString());
        assertEquals(1, reply.body().size(), reply.body().toString());
        assertTrue(reply.body().get("error").asText().contains(message), reply.body().toString());
    }

    static void assertWorks() throws Exception {
        Reply reply = post(json(Map.of("text", SENTENCES[4])));
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(expected(List.of(SENTENCES[4]), OPTIONS.defaultBeam(), false).get(0).get(0).text(),
                reply.body().get("translations").get(0).asText());
    }
}

package org.nmt4j.serve.server;

import static org.nmt4j.serve.server.JsonResponses.error;
import static org.nmt4j.serve.server.JsonResponses.send;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.nmt4j.serve.translate.Alignment;
import org.nmt4j.serve.translate.Translation;

/**
 * The endpoints: {@code POST /translate}, {@code GET /health}, {@code GET /info}; anything else is a JSON 404 (or
 * 405 for a known path with another method). {@code POST /translate} reads the body without blocking, queues its
 * sentences on the {@link TranslationBatcher} and answers when all are translated.
 */
final class ApiHandler extends Handler.Abstract {

    private static final Map<String, String> HEALTHY = Map.of("status", "ok");

    private final TranslationBatcher batcher;
    private final ServerOptions options;
    private final ModelInfo info;

    ApiHandler(TranslationBatcher batcher, ServerOptions options, ModelInfo info) {
        this.batcher = batcher;
        this.options = options;
        this.info = info;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = switch (path) {
            case "/translate" -> "POST";
            case "/health", "/info" -> "GET";
            default -> null;
        };
        if (method == null) {
            error(response, callback, HttpStatus.NOT_FOUND_404, "no endpoint " + path
                    + ": the endpoints are POST /translate, GET /health and GET /info");
        } else if (!method.equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, method);
            error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, path + " takes " + method + " only");
        } else if (path.equals("/health")) {
            send(response, callback, HttpStatus.OK_200, HEALTHY);
        } else if (path.equals("/info")) {
            send(response, callback, HttpStatus.OK_200, info);
        } else {
            readAndTranslate(request, response, callback);
        }
        return true;
    }

    private void readAndTranslate(Request request, Response response, Callback callback) {
        long length = request.getLength();
        if (length > options.maxBodyBytes()) {
            error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "the body has " + length
                    + " bytes; the limit is " + options.maxBodyBytes() + " bytes");
            return;
        }
        BodyReader.read(request, options.maxBodyBytes()).whenComplete((body, failure) -> {
            if (failure instanceof BodyReader.TooLargeException) {
                error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, failure.getMessage());
            } else if (failure != null) {
                callback.failed(failure);
            } else {
                answer(body, response, callback);
            }
        });
    }

    /** Answers a body that was read in full. */
    private void answer(byte[] body, Response response, Callback callback) {
        TranslateRequest request;
        try {
            request = TranslateRequest.parse(body, options);
        } catch (BadRequestException e) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
            return;
        }
        translate(request).whenComplete((translations, failure) -> {
            if (failure == null) {
                send(response, callback, HttpStatus.OK_200, Map.of("translations", translations));
            } else {
                failed(response, callback, failure);
            }
        });
    }

    /** The {@code "translations"} of the response, in request order. */
    private CompletableFuture<List<Object>> translate(TranslateRequest request) {
        TranslationBatcher.Settings settings = new TranslationBatcher.Settings(request.beam(), request.alignments());
        List<CompletableFuture<List<Translation>>> futures = new ArrayList<>();
        for (String text : request.texts()) {
            futures.add(batcher.submit(text, settings));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Object> translations = new ArrayList<>();
            for (CompletableFuture<List<Translation>> future : futures) {
                translations.add(json(future.join(), request));
            }
            return translations;
        });
    }

    /**
     * One sentence's entry: its best translation as a string; with alignments, an object; with n_best &gt; 1, a
     * list of objects, best first.
     */
    private static Object json(List<Translation> translations, TranslateRequest request) {
        if (request.nBest() == 1 && !request.alignments()) {
            return translations.get(0).text();
        }
        List<Object> list = new ArrayList<>();
        for (Translation t : translations.subList(0, Math.min(request.nBest(), translations.size()))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("text", t.text());
            entry.put("score", t.score());
            Alignment alignment = t.alignment();
            if (alignment != null) {
                entry.put("alignment", alignment.pharaoh());
                entry.put("source", alignment.source());
                entry.put("target", alignment.target());
                entry.put("weights", alignment.weights());
            }
            list.add(entry);
        }
        return request.nBest() == 1 ? list.get(0) : list;
    }

    private static void failed(Response response, Callback callback, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RejectedExecutionException) {
            error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, cause.getMessage());
        } else {
            error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "translation failed: " + cause);
        }
    }
}

package org.nmt4j.serve.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes JSON responses; errors are {@code {"error": MESSAGE}}. */
final class JsonResponses {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private JsonResponses() {
    }

    /** Sends {@code value} as JSON with {@code status}, completing {@code callback}. */
    static void send(Response response, Callback callback, int status, Object value) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Sends {@code {"error": message}} with {@code status}. */
    static void error(Response response, Callback callback, int status, String message) {
        send(response, callback, status, errorBody(message));
    }

    static Map<String, String> errorBody(String message) {
        return Map.of("error", message);
    }
}

package org.nmt4j.serve.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error responses (a body over the size limit, a malformed HTTP request, a failed handler) as
 * {@code {"error": MESSAGE}} instead of HTML.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        JsonResponses.error(response, callback, code, describe(code, message));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JsonResponses.CONTENT_TYPE);
        try {
            return ByteBuffer.wrap(JsonResponses.JSON.writeValueAsBytes(
                    JsonResponses.errorBody(describe(status, reason))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(int status, String message) {
        String reason = HttpStatus.getMessage(status);
        return message == null || message.isBlank() || message.equals(reason) ? reason : reason + ": " + message;
    }
}

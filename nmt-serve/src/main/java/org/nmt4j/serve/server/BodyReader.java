package org.nmt4j.serve.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without blocking a thread while the bytes arrive, up to a limit. Past the limit it stops
 * reading, and the rest of the body is left to Jetty, which discards it or closes the connection.
 */
final class BodyReader {

    /** The failure of a body with more bytes than the limit. */
    static final class TooLargeException extends Exception {

        TooLargeException(int limit) {
            super("the body has more than " + limit + " bytes; the limit is " + limit + " bytes");
        }
    }

    private final Request request;
    private final int maxBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    private BodyReader(Request request, int maxBytes) {
        this.request = request;
        this.maxBytes = maxBytes;
    }

    /** The body, or a failure: {@link TooLargeException} past {@code maxBytes}, or the connection's failure. */
    static CompletableFuture<byte[]> read(Request request, int maxBytes) {
        BodyReader reader = new BodyReader(request, maxBytes);
        reader.readAvailable();
        return reader.result;
    }

    /** Reads the chunks at hand; asks to be called again when more arrive. */
    private void readAvailable() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this::readAvailable);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                result.completeExceptionally(chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean fits = body.size() + bytes.remaining() <= maxBytes;
            if (fits) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.writeBytes(copy);
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (!fits) {
                result.completeExceptionally(new TooLargeException(maxBytes));
                return;
            }
            if (last) {
                result.complete(body.toByteArray());
                return;
            }
        }
    }
}

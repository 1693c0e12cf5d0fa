package org.nmt4j.serve.server;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.nmt4j.serve.translate.TranslationModel;

/**
 * The HTTP JSON API of {@code nmt serve} on Jetty: {@code POST /translate}, {@code GET /health}, {@code GET /info}
 * (see {@link ApiHandler}), with the sentences of concurrent requests translated together
 * ({@link TranslationBatcher}). {@link #close} stops gracefully: requests under way are answered (for up to
 * {@value #STOP_TIMEOUT_MS} ms), new connections are refused and new requests on open connections get 503.
 */
public final class TranslationServer implements AutoCloseable {

    /** How long {@link #close} waits for requests under way. */
    static final long STOP_TIMEOUT_MS = 30_000;

    private final Server server;
    private final TranslationBatcher batcher;

    private TranslationServer(Server server, TranslationBatcher batcher) {
        this.server = server;
        this.batcher = batcher;
    }

    /**
     * Starts a server on {@code host:port} (port 0: any free port, see {@link #port()}).
     *
     * @param model the model to serve; the server uses it until {@link #close} returns
     */
    public static TranslationServer start(TranslationModel model, ModelInfo info, ServerOptions options, String host,
                                          int port) throws Exception {
        TranslationBatcher batcher = new TranslationBatcher(model, options.maxBatch(), options.threads());
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("nmt-serve-http");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new ApiHandler(batcher, options, info)));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(STOP_TIMEOUT_MS);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            batcher.close();
            throw e;
        }
        return new TranslationServer(server, batcher);
    }

    /** The port the server listens on. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops taking requests, answers those under way, then stops the translation worker. Idempotent. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            batcher.close();
        }
    }
}

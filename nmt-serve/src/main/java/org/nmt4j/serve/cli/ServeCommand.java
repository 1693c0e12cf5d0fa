package org.nmt4j.serve.cli;

import static org.nmt4j.cli.OptionValues.intOption;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nmt4j.cli.Command;
import org.nmt4j.cli.UsageException;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.server.ModelInfo;
import org.nmt4j.serve.server.ServerOptions;
import org.nmt4j.serve.server.TranslationServer;
import org.nmt4j.serve.translate.TranslationModel;

/**
 * {@code nmt serve -m MODEL_DIR [--host 127.0.0.1] [--port 5000] …}: serves a model over HTTP with a JSON API
 * ({@link TranslationServer}) until Ctrl-C (SIGINT) or SIGTERM, which stop it gracefully.
 */
public final class ServeCommand implements Command {

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String description() {
        return "serve a model over HTTP: POST /translate, GET /health, GET /info (JSON)";
    }

    @Override
    public Options options() {
        ServerOptions d = ServerOptions.DEFAULTS;
        Options options = new Options();
        options.addOption(Option.builder("m").longOpt("model").hasArg().argName("DIR").required()
                .desc("model directory written by nmt train").build());
        options.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("NAME|PATH")
                .desc("best, last, averaged (files of the model directory) or a checkpoint path (default best)")
                .build());
        options.addOption(Option.builder().longOpt("host").hasArg().argName("ADDRESS")
                .desc("address to listen on (default 127.0.0.1: this machine only)").build());
        options.addOption(Option.builder().longOpt("port").hasArg().argName("PORT")
                .desc("port to listen on (default 5000; 0: any free port)").build());
        options.addOption(Option.builder().longOpt("beam").hasArg().argName("K")
                .desc("beam size of requests that give none (default " + d.defaultBeam() + ", at most "
                        + d.maxBeam() + ")").build());
        options.addOption(Option.builder().longOpt("max-batch").hasArg().argName("N")
                .desc("most sentences translated together (default " + d.maxBatch() + ")").build());
        options.addOption(Option.builder().longOpt("max-sentences").hasArg().argName("N")
                .desc("most sentences per request (default " + d.maxSentences() + ")").build());
        options.addOption(Option.builder().longOpt("max-chars").hasArg().argName("N")
                .desc("most characters per sentence (default " + d.maxChars() + ")").build());
        options.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("batches translated at once, one per thread (default: the number of cores)").build());
        return options;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        ServerOptions d = ServerOptions.DEFAULTS;
        int port = intOption(line, "port", 5000, 0);
        if (port > 65535) {
            throw new UsageException("--port must be at most 65535: " + port);
        }
        ServerOptions options;
        try {
            options = new ServerOptions(intOption(line, "beam", d.defaultBeam(), 1), d.maxBeam(),
                    intOption(line, "max-batch", d.maxBatch(), 1), d.maxBodyBytes(),
                    intOption(line, "max-sentences", d.maxSentences(), 1), intOption(line, "max-chars", d.maxChars(), 1),
                    intOption(line, "threads", d.threads(), 1));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String host = line.getOptionValue("host", "127.0.0.1");
        String checkpoint = line.getOptionValue("checkpoint", "best");
        ModelDirectory directory = new ModelDirectory(Path.of(line.getOptionValue("model")));
        // Jetty logs every start and stop at INFO; keep its warnings only.
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty",
                System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn"));
        CountDownLatch closed = new CountDownLatch(1);
        try (TranslationModel model = TranslationModel.load(directory, checkpoint);
             TranslationServer server = TranslationServer.start(model, ModelInfo.of(directory, checkpoint, model,
                     options), options, host, port)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.err.println("nmt serve: stopping");
                try {
                    server.close();
                    // Wait for run() to close the model, so the JVM does not exit under it.
                    closed.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("nmt serve: error while stopping: " + e.getMessage());
                }
            }, "nmt-serve-shutdown"));
            System.err.println("nmt serve: serving " + directory.root() + " (" + checkpoint + ") on http://" + host
                    + ":" + server.port() + " (POST /translate, GET /health, GET /info); Ctrl-C stops");
            server.join();
        } finally {
            closed.countDown();
        }
        return 0;
    }
}

package org.nmt4j.train.loop;

import java.io.IOException;

/**
 * Runs a {@link Trainer} so that Ctrl-C (or SIGTERM) stops it after the current update, validates and saves
 * {@code last.zip} before the JVM exits, so that the run can be resumed.
 */
public final class StopOnSignal {

    /** How long the JVM's shutdown waits for the final validation and save. */
    private static final long SAVE_WAIT_MILLIS = 300_000;

    private StopOnSignal() {
    }

    /** {@link Trainer#run(boolean)} with a shutdown hook that requests the stop and waits for the save. */
    public static Trainer.Summary run(Trainer trainer, boolean resume) throws IOException {
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            System.err.println("\nstopping after the current update and saving …");
            trainer.requestStop();
            try {
                main.join(SAVE_WAIT_MILLIS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return trainer.run(resume);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for this thread, which is done
            }
        }
    }
}

package org.nmt4j.cli;

/** Invalid command-line arguments: {@link Main} prints the message and exits with code 2. */
public class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An invalid-usage error with a message for the user. */
    public UsageException(String message) {
        super(message);
    }
}

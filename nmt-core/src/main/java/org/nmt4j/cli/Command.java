package org.nmt4j.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * A subcommand of {@code nmt}. Implementations are found with {@link java.util.ServiceLoader}: a
 * module adds its commands by listing them in
 * {@code META-INF/services/org.nmt4j.cli.Command}. {@link Main} adds {@code -h/--help} and
 * {@code --verbose} to every command's options.
 */
public interface Command {

    /** The name users type ({@code nmt NAME ...}). */
    String name();

    /** One line for {@code nmt --help}. */
    String description();

    /** The command's options (a fresh instance on each call). */
    Options options();

    /**
     * Runs the command. Throw {@link UsageException} for invalid arguments (exit code 2); any other
     * exception is reported as a runtime error (exit code 1).
     *
     * @return the exit code
     */
    int run(CommandLine line) throws Exception;
}

package org.nmt4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.MissingOptionException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The {@code nmt} command line: {@code nmt <command> [options]}. Commands come from
 * {@link ServiceLoader}. Exit codes: 0 success, 1 runtime error (message only; the stack trace
 * with {@code --verbose} or {@code NMT_DEBUG=1}), 2 usage error.
 */
public final class Main {

    /** Exit code of a usage error. */
    public static final int USAGE = 2;
    /** Exit code of a runtime error. */
    public static final int FAILURE = 1;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final boolean debugFromEnvironment;

    /** The commands registered in {@code META-INF/services/org.nmt4j.cli.Command}. */
    public Main() {
        this(ServiceLoader.load(Command.class), "1".equals(System.getenv("NMT_DEBUG")));
    }

    /**
     * @param available            the commands
     * @param debugFromEnvironment whether stack traces are printed (as {@code NMT_DEBUG=1})
     */
    public Main(Iterable<Command> available, boolean debugFromEnvironment) {
        List<Command> sorted = new ArrayList<>();
        available.forEach(sorted::add);
        sorted.sort(Comparator.comparing(Command::name));
        for (Command c : sorted) {
            Command previous = commands.put(c.name(), c);
            if (previous != null) {
                throw new IllegalStateException("two commands named '" + c.name() + "': "
                        + previous.getClass().getName() + " and " + c.getClass().getName());
            }
        }
        this.debugFromEnvironment = debugFromEnvironment;
    }

    /** Entry point of the {@code ./nmt} launcher. */
    public static void main(String[] args) {
        System.exit(new Main().run(args));
    }

    /** Runs {@code args}, printing to {@link System#out} and {@link System#err}; returns the exit code. */
    public int run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        boolean verbose = debugFromEnvironment;
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    printCommands(out);
                    return 0;
                }
                case "--verbose" -> verbose = true;
                default -> {
                    err.println("nmt: unknown option '" + args[i] + "'. Run 'nmt --help'.");
                    return USAGE;
                }
            }
            i++;
        }
        if (i == args.length) {
            printCommands(err);
            return USAGE;
        }
        String name = args[i];
        Command command = commands.get(name);
        if (command == null) {
            err.println("nmt: unknown command '" + name + "'. Run 'nmt --help' for the list of commands.");
            return USAGE;
        }
        Options options = command.options();
        options.addOption(Option.builder("h").longOpt("help").desc("print this help").build());
        if (!options.hasLongOption("verbose")) {
            options.addOption(Option.builder().longOpt("verbose").desc("print stack traces of errors").build());
        }
        String[] rest = Arrays.copyOfRange(args, i + 1, args.length);
        if (Arrays.asList(rest).contains("-h") || Arrays.asList(rest).contains("--help")) {
            printHelp(command, options, out);
            return 0;
        }
        CommandLine line;
        try {
            line = DefaultParser.builder().build().parse(options, rest);
        } catch (MissingOptionException e) {
            List<String> missing = new ArrayList<>();
            for (Object o : e.getMissingOptions()) {
                Option opt = options.getOption(o.toString());
                missing.add(opt != null && opt.hasLongOpt() ? "--" + opt.getLongOpt() : "-" + o);
            }
            err.println("nmt " + name + ": missing required option" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing));
            err.println("Run 'nmt " + name + " --help' for its options.");
            return USAGE;
        } catch (ParseException e) {
            err.println("nmt " + name + ": " + e.getMessage());
            err.println("Run 'nmt " + name + " --help' for its options.");
            return USAGE;
        }
        verbose |= line.hasOption("verbose");
        try {
            return command.run(line);
        } catch (UsageException e) {
            err.println("nmt " + name + ": " + e.getMessage());
            err.println("Run 'nmt " + name + " --help' for its options.");
            return USAGE;
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.println("nmt " + name + ": error: " + message);
            if (verbose) {
                e.printStackTrace(err);
            }
            return FAILURE;
        }
    }

    private void printCommands(PrintStream out) {
        out.println("usage: nmt [--verbose] <command> [options]");
        out.println();
        out.println("Commands:");
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Command c : commands.values()) {
            out.printf("  %-" + width + "s  %s%n", c.name(), c.description());
        }
        out.println();
        out.println("Run 'nmt <command> --help' for the options of a command.");
        out.println("Errors exit with 1 (2 for usage errors); --verbose or NMT_DEBUG=1 prints stack traces.");
    }

    private static void printHelp(Command command, Options options, PrintStream out) {
        java.io.PrintWriter writer = new java.io.PrintWriter(out, true);
        HelpFormatter formatter = HelpFormatter.builder().setPrintWriter(writer).get();
        formatter.printHelp("nmt " + command.name() + " [options]", command.description(), options, null, false);
        writer.flush();
    }
}

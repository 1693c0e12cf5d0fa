package org.nmt4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
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
    /** Width of the help texts: fixed, so that {@code --help} (and docs/cli.md) never depends on the terminal. */
    private static final int HELP_WIDTH = 74;

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
        Options options = optionsOf(command);
        String[] rest = Arrays.copyOfRange(args, i + 1, args.length);
        if (Arrays.asList(rest).contains("-h") || Arrays.asList(rest).contains("--help")) {
            out.print(help(name));
            out.flush();
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

    /**
     * The help text {@code nmt COMMAND --help} prints (usage, description and options), or with {@code null} the
     * command list {@code nmt --help} prints. docs/cli.md is generated from this.
     *
     * @throws IllegalArgumentException if there is no command {@code commandName}
     */
    public String help(String commandName) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (commandName == null) {
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
        } else {
            Command command = commands.get(commandName);
            if (command == null) {
                throw new IllegalArgumentException("no command '" + commandName + "'");
            }
            HelpFormatter formatter = HelpFormatter.builder().setPrintWriter(out).get();
            formatter.printHelp(out, HELP_WIDTH, "nmt " + command.name() + " [options]", command.description(),
                    optionsOf(command), formatter.getLeftPadding(), formatter.getDescPadding(), null, false);
        }
        out.flush();
        return text.toString();
    }

    /** The command's options with the {@code -h/--help} and {@code --verbose} that every command has. */
    private static Options optionsOf(Command command) {
        Options options = command.options();
        options.addOption(Option.builder("h").longOpt("help").desc("print this help").build());
        if (!options.hasLongOption("verbose")) {
            options.addOption(Option.builder().longOpt("verbose").desc("print stack traces of errors").build());
        }
        return options;
    }

    private void printCommands(PrintStream out) {
        out.print(help(null));
        out.flush();
    }
}

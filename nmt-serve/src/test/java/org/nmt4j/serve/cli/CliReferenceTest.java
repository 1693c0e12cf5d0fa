package org.nmt4j.serve.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.commons.cli.Option;
import org.junit.jupiter.api.Test;
import org.nmt4j.cli.Command;
import org.nmt4j.cli.Main;

/**
 * docs/cli.md is the help text of every {@code nmt} command, rendered by {@link Main#help(String)} (what
 * {@code nmt CMD --help} prints). nmt-serve depends on every other module, so its tests see every command. When a
 * command or an option changes, regenerate the file with
 * {@code mvn -o -pl nmt-serve test -Dtest=CliReferenceTest -Dnmt.updateReference=true}.
 */
class CliReferenceTest {

    static final Path REFERENCE = Path.of("..", "docs", "cli.md");
    static final String UPDATE_PROPERTY = "nmt.updateReference";
    static final String REGENERATE = "mvn -o -pl nmt-serve test -Dtest=CliReferenceTest -D" + UPDATE_PROPERTY + "=true";

    /** The commands ServiceLoader finds, by name (the order of {@code nmt --help}). */
    static List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        ServiceLoader.load(Command.class).forEach(commands::add);
        commands.sort(Comparator.comparing(Command::name));
        return commands;
    }

    /** The text of docs/cli.md. */
    static String render(Main main, List<Command> commands) {
        StringBuilder md = new StringBuilder();
        md.append("# `nmt` command-line reference\n\n");
        md.append("<!-- Generated from the code by CliReferenceTest (nmt-serve); do not edit by hand. Regenerate with:\n");
        md.append("     ").append(REGENERATE).append(" -->\n\n");
        md.append("Every command of `nmt` (run `./nmt COMMAND [options]` from the repository root) with the help text\n");
        md.append("that `nmt COMMAND --help` prints. Every command also accepts `-h/--help` and `--verbose` (stack\n");
        md.append("traces of errors). Exit codes: 0 success, 1 runtime error, 2 usage error.\n\n");
        md.append("| Command | Description |\n");
        md.append("|---|---|\n");
        for (Command c : commands) {
            md.append("| [`").append(c.name()).append("`](#nmt-").append(c.name()).append(") | ")
                    .append(c.description().replace("|", "\\|")).append(" |\n");
        }
        md.append("\n## `nmt --help`\n\n");
        md.append("```text\n").append(normalize(main.help(null))).append("```\n");
        for (Command c : commands) {
            md.append("\n## `nmt ").append(c.name()).append("`\n\n");
            md.append(c.description()).append("\n\n");
            md.append("```text\n").append(normalize(main.help(c.name()))).append("```\n");
        }
        return md.toString();
    }

    private static String normalize(String text) {
        String unix = text.replace("\r\n", "\n");
        return unix.endsWith("\n") ? unix : unix + "\n";
    }

    @Test
    void referenceMatchesTheHelpOfEveryCommand() throws IOException {
        String expected = render(new Main(), commands());
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, expected, UTF_8);
            System.out.println("CliReferenceTest: wrote " + REFERENCE.toAbsolutePath().normalize());
            return;
        }
        if (!Files.isRegularFile(REFERENCE)) {
            fail(REFERENCE.toAbsolutePath().normalize() + " does not exist. Generate it with: " + REGENERATE);
        }
        String actual = Files.readString(REFERENCE, UTF_8).replace("\r\n", "\n");
        assertEquals(expected, actual, "docs/cli.md is out of date with the commands' help texts. Regenerate "
                + "it with: " + REGENERATE);
    }

    @Test
    void everyCommandAndOptionIsDescribed() {
        List<Command> commands = commands();
        assertFalse(commands.isEmpty(), "ServiceLoader found no commands");
        for (Command c : commands) {
            String description = c.description();
            assertTrue(description != null && !description.isBlank(), "nmt " + c.name() + " has no description");
            assertFalse(description.contains("\n"), "the description of nmt " + c.name() + " is not one line");
            for (Option o : c.options().getOptions()) {
                assertTrue(o.getDescription() != null && !o.getDescription().isBlank(),
                        "option " + o.getKey() + " of nmt " + c.name() + " has no description");
            }
        }
    }

    @Test
    void helpOptionPrintsTheSameText() {
        Main main = new Main();
        List<String> names = new ArrayList<>();
        names.add(null);
        commands().forEach(c -> names.add(c.name()));
        PrintStream stdout = System.out;
        for (String name : names) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int code;
            try (PrintStream capture = new PrintStream(bytes, true, UTF_8)) {
                System.setOut(capture);
                code = name == null ? main.run("--help") : main.run(name, "--help");
            } finally {
                System.setOut(stdout);
            }
            assertEquals(0, code, "exit code of nmt " + (name == null ? "" : name + " ") + "--help");
            assertEquals(main.help(name), bytes.toString(UTF_8), "nmt " + (name == null ? "" : name + " ") + "--help");
        }
    }
}

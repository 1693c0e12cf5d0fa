package org.nmt4j.cli;

import org.apache.commons.cli.CommandLine;

/** Numeric option values of the commands, with usage errors naming the option. */
public final class OptionValues {

    private OptionValues() {
    }

    /** The integer value of {@code --name}, or {@code defaultValue} when absent; at least {@code min}. */
    public static int intOption(CommandLine line, String name, int defaultValue, int min) {
        String value = line.getOptionValue(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min) {
                throw new UsageException("--" + name + " must be at least " + min + ": " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs an integer: " + value);
        }
    }

    /** The number value of {@code --name}, or {@code defaultValue} when absent. */
    public static double doubleOption(CommandLine line, String name, double defaultValue) {
        String value = line.getOptionValue(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number: " + value);
        }
    }
}

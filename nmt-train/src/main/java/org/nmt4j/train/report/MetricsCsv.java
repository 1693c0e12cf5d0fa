package org.nmt4j.train.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainer's metrics file: one CSV row per logged step, header {@link #HEADER}. The dev columns are empty on rows
 * without validation; in {@link Row} an empty cell is NaN. Numbers are written with {@link Double#toString}, so a
 * file reads back exactly.
 */
public final class MetricsCsv {

    /** The columns, in order. */
    public static final String HEADER = "step,epoch,elapsed_s,train_loss,learning_rate,target_tokens_per_s,"
            + "dev_loss,dev_ppl,dev_bleu,dev_chrf";

    private static final String[] COLUMNS = HEADER.split(",");

    /**
     * One row; NaN stands for an empty cell (the dev values on rows without validation).
     *
     * @param step                  updates done
     * @param epoch                 current epoch
     * @param elapsedSeconds        wall-clock seconds since training started
     * @param trainLoss             mean training loss since the previous row
     * @param learningRate          learning rate at this step
     * @param targetTokensPerSecond training throughput
     * @param devLoss               dev loss (per target token)
     * @param devPerplexity         dev perplexity
     * @param devBleu               dev BLEU
     * @param devChrf               dev chrF
     */
    public record Row(long step, int epoch, double elapsedSeconds, double trainLoss, double learningRate,
            double targetTokensPerSecond, double devLoss, double devPerplexity, double devBleu, double devChrf) {

        String toCsv() {
            return step + "," + epoch + "," + cell(elapsedSeconds) + "," + cell(trainLoss) + "," + cell(learningRate)
                    + "," + cell(targetTokensPerSecond) + "," + cell(devLoss) + "," + cell(devPerplexity) + ","
                    + cell(devBleu) + "," + cell(devChrf);
        }

        private static String cell(double value) {
            return Double.isNaN(value) ? "" : Double.toString(value);
        }
    }

    private MetricsCsv() {
    }

    /** Appends one row, writing the header first when the file is new or empty. */
    public static void append(Path file, Row row) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, UTF_8, CREATE, APPEND)) {
            if (Files.size(file) == 0) {
                out.write(HEADER + "\n");
            }
            out.write(row.toCsv() + "\n");
        }
    }

    /**
     * Reads every row. Blank lines are skipped.
     *
     * @throws IOException naming the file and the line when the header, a column count or a number is wrong
     */
    public static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, UTF_8)) {
            String header = in.readLine();
            if (!HEADER.equals(header)) {
                throw malformed(file, 1, "expected the header " + HEADER
                        + (header == null ? ", the file is empty" : ", got " + header));
            }
            int lineNumber = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (!line.isBlank()) {
                    rows.add(parse(file, lineNumber, line));
                }
            }
        }
        return rows;
    }

    private static Row parse(Path file, int lineNumber, String line) throws IOException {
        String[] cells = line.split(",", -1);
        if (cells.length != COLUMNS.length) {
            throw malformed(file, lineNumber, "expected " + COLUMNS.length + " columns, got " + cells.length);
        }
        double[] values = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            values[i] = number(file, lineNumber, cells, i);
        }
        if (!(values[0] % 1 == 0 && values[1] % 1 == 0)) {
            throw malformed(file, lineNumber, "step and epoch must be whole numbers, got \"" + cells[0] + "\" and \""
                    + cells[1] + "\"");
        }
        return new Row((long) values[0], (int) values[1], values[2], values[3], values[4], values[5], values[6],
                values[7], values[8], values[9]);
    }

    /** The number in a cell, NaN when the cell is empty. */
    private static double number(Path file, int lineNumber, String[] cells, int column) throws IOException {
        String cell = cells[column];
        try {
            return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw malformed(file, lineNumber, "column " + COLUMNS[column] + " is not a number: \"" + cell + "\"");
        }
    }

    private static IOException malformed(Path file, int lineNumber, String problem) {
        return new IOException(file + " line " + lineNumber + ": " + problem);
    }
}

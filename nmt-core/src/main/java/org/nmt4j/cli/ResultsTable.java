package org.nmt4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table in the style sacreBLEU prints for several systems (tabulate's {@code fancy_grid}):
 * box-drawing borders, the first column right-aligned, the others centred, cells that may span
 * several lines.
 */
final class ResultsTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    ResultsTable(List<String> headers) {
        this.headers = headers;
    }

    void addRow(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, table has " + headers.size() + " columns");
        }
        rows.add(cells);
    }

    String render() {
        int cols = headers.size();
        int[] width = new int[cols];
        for (int c = 0; c < cols; c++) {
            width[c] = length(headers.get(c));
            for (List<String> row : rows) {
                for (String line : row.get(c).split("\n", -1)) {
                    width[c] = Math.max(width[c], length(line));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        rule(sb, width, '╒', '═', '╤', '╕');
        line(sb, width, headers);
        rule(sb, width, '╞', '═', '╪', '╡');
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int height = 1;
            for (String cell : row) {
                height = Math.max(height, cell.split("\n", -1).length);
            }
            for (int h = 0; h < height; h++) {
                List<String> cells = new ArrayList<>();
                for (String cell : row) {
                    String[] parts = cell.split("\n", -1);
                    cells.add(h < parts.length ? parts[h] : "");
                }
                line(sb, width, cells);
            }
            if (r < rows.size() - 1) {
                rule(sb, width, '├', '─', '┼', '┤');
            }
        }
        rule(sb, width, '╘', '═', '╧', '╛');
        return sb.toString();
    }

    private static void rule(StringBuilder sb, int[] width, char left, char fill, char cross, char right) {
        sb.append(left);
        for (int c = 0; c < width.length; c++) {
            sb.append(String.valueOf(fill).repeat(width[c] + 2)).append(c == width.length - 1 ? right : cross);
        }
        sb.append('\n');
    }

    private static void line(StringBuilder sb, int[] width, List<String> cells) {
        sb.append('│');
        for (int c = 0; c < width.length; c++) {
            String cell = cells.get(c);
            int pad = width[c] - length(cell);
            int left = c == 0 ? pad : pad / 2;
            sb.append(' ').append(" ".repeat(left)).append(cell).append(" ".repeat(pad - left)).append(" │");
        }
        sb.append('\n');
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}

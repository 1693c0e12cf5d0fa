package org.nmt4j.core.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Python string semantics that sacreBLEU's results depend on: {@code str.split()} and
 * {@code str.rstrip()} with Python's notion of whitespace, and {@code f"{x:.Nf}"} rounding.
 */
public final class PyText {

    private PyText() {
    }

    /**
     * Whether Python's {@code str.isspace()} holds for this character: ASCII tab to carriage return,
     * the information separators U+001C..U+001F, space, U+0085, U+00A0, U+1680, U+2000..U+200A,
     * U+2028, U+2029, U+202F, U+205F and U+3000. (Java's {@code Character.isWhitespace} differs.)
     */
    public static boolean isSpace(char c) {
        if (c <= 0x20) {
            return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** Python's {@code s.split()}: the maximal runs of non-whitespace characters. */
    public static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                parts.add(s.substring(start, i));
            }
        }
        return parts;
    }

    /** Python's {@code s.rstrip()}. */
    public static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's {@code "".join(s.split())}: the string with every whitespace character removed. */
    public static String removeSpaces(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isSpace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Python's {@code f"{x:.{decimals}f}"}: the exact binary value rounded half-to-even. Java's
     * {@code String.format} rounds the shortest decimal representation half-up instead, which
     * differs on values such as 0.125.
     */
    public static String fixed(double x, int decimals) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
        }
        String s = new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        if (x < 0 || (x == 0 && 1 / x < 0)) {
            return s.startsWith("-") ? s : "-" + s;
        }
        return s;
    }
}

package org.nmt4j.core.eval;

import java.util.regex.Pattern;

/**
 * sacreBLEU's default {@code 13a} tokenizer, the tokenization of WMT's {@code mteval-v13a.pl}.
 * A line-for-line port of {@code sacrebleu/tokenizers/tokenizer_13a.py} and
 * {@code tokenizer_re.py}: the same replacements in the same order, the same four regular
 * expressions (Java and Python agree on these character classes, which work on code points), and
 * the final {@code ' '.join(line.split())} with Python's Unicode whitespace ({@link PyText}).
 */
public final class Tokenizer13a implements BleuTokenizer {

    /** Punctuation and symbols of the ASCII ranges {-~, [-`, space-&, (-+, :-@ and '/'. */
    private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    /** Period and comma unless preceded by a digit. */
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    /** Period and comma unless followed by a digit. */
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    /** Dash when preceded by a digit. */
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    @Override
    public String name() {
        return "13a";
    }

    @Override
    public String tokenize(String segment) {
        String line = segment;
        // language-independent part
        line = line.replace("<skipped>", "");
        line = line.replace("-\n", "");
        line = line.replace("\n", " ");
        if (line.indexOf('&') >= 0) {
            line = line.replace("&quot;", "\"");
            line = line.replace("&amp;", "&");
            line = line.replace("&lt;", "<");
            line = line.replace("&gt;", ">");
        }
        line = " " + line + " ";
        // language-dependent part (assuming Western languages)
        line = SYMBOLS.matcher(line).replaceAll(" $1 ");
        line = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(line).replaceAll("$1 $2 ");
        line = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(line).replaceAll(" $1 $2");
        line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
        return String.join(" ", PyText.split(line));
    }
}

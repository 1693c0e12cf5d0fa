package org.nmt4j.serve.cli;

import static org.nmt4j.cli.OptionValues.intOption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nmt4j.cli.Command;
import org.nmt4j.cli.UsageException;
import org.nmt4j.core.data.Utf8LineReader;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.serve.plot.AttentionHeatmap;
import org.nmt4j.serve.search.BeamOptions;
import org.nmt4j.serve.search.BeamSearch;
import org.nmt4j.serve.translate.Translation;
import org.nmt4j.serve.translate.TranslationModel;
import org.nmt4j.serve.translate.Translator;

/**
 * {@code nmt attention -m MODEL_DIR (--src TEXT | -i FILE) -o OUT.png [--beam K]}: translates (beam search with the
 * defaults of {@code nmt translate}) and draws the attention of each best translation as a heatmap PNG
 * ({@link AttentionHeatmap}). {@code --src} writes OUT.png; a file writes OUT-N.png for its line N (1-based). The
 * translations go to stdout, one line each. A line whose translation or source has no pieces gets no image and a
 * warning; the command fails when no image was written.
 */
public final class AttentionCommand implements Command {

    @Override
    public String name() {
        return "attention";
    }

    @Override
    public String description() {
        return "translate and draw the attention weights as a heatmap PNG";
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("m").longOpt("model").hasArg().argName("DIR").required()
                .desc("model directory written by nmt train").build());
        options.addOption(Option.builder().longOpt("src").hasArg().argName("TEXT")
                .desc("the sentence to translate").build());
        options.addOption(Option.builder("i").longOpt("input").hasArg().argName("FILE")
                .desc("sentences to translate, UTF-8, one per line: line N gives OUT-N.png").build());
        options.addOption(Option.builder("o").longOpt("output").hasArg().argName("OUT.png").required()
                .desc("the PNG to write").build());
        options.addOption(Option.builder().longOpt("beam").hasArg().argName("K")
                .desc("beam size (default 5)").build());
        options.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("NAME|PATH")
                .desc("best, last, averaged (files of the model directory) or a checkpoint path (default best)")
                .build());
        return options;
    }

    @Override
    public int run(CommandLine line) throws IOException {
        int beam = intOption(line, "beam", 5, 1);
        if (line.hasOption("src") == line.hasOption("input")) {
            throw new UsageException("give either --src TEXT or -i FILE");
        }
        String output = line.getOptionValue("output");
        if (!output.endsWith(".png")) {
            throw new UsageException("-o must name a .png file: " + output);
        }
        List<String> sentences = line.hasOption("src") ? List.of(line.getOptionValue("src"))
                : readLines(Path.of(line.getOptionValue("input")));
        int written = 0;
        try (TranslationModel model = TranslationModel.load(new ModelDirectory(Path.of(line.getOptionValue("model"))),
                line.getOptionValue("checkpoint", "best"))) {
            BeamSearch search = new BeamSearch(model.model(), model.target().specialIds(),
                    BeamOptions.defaults(beam, true));
            List<List<Translation>> translations;
            try (Translator translator = Translator.beam(model, search, 32, 1, AttentionCommand::warn)) {
                translations = translator.translate(sentences, 1);
            }
            for (int i = 0; i < sentences.size(); i++) {
                Translation best = translations.get(i).get(0);
                System.out.println(best.text());
                if (best.alignment().source().isEmpty() || best.alignment().target().isEmpty()) {
                    warn("line " + (i + 1) + ": the " + (best.alignment().source().isEmpty() ? "source" : "translation")
                            + " has no pieces, no image");
                    continue;
                }
                Path png = Path.of(line.hasOption("src") ? output
                        : output.substring(0, output.length() - ".png".length()) + "-" + (i + 1) + ".png");
                AttentionHeatmap.write(best.alignment(), best.text(), png);
                System.err.println("nmt attention: wrote " + png);
                written++;
            }
        }
        if (written == 0) {
            throw new IllegalArgumentException("no image written: no line has both source and target pieces");
        }
        return 0;
    }

    private static List<String> readLines(Path input) throws IOException {
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("input file " + input + " does not exist");
        }
        List<String> lines = new ArrayList<>();
        try (Utf8LineReader reader = new Utf8LineReader(input)) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                lines.add(text);
            }
        }
        return lines;
    }

    private static void warn(String message) {
        System.err.println("nmt attention: warning: " + message);
    }
}

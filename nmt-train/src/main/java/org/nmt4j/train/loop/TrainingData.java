package org.nmt4j.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import org.nmt4j.core.data.LengthLimits;
import org.nmt4j.core.data.ParallelTextReader;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.config.DataConfig;
import org.nmt4j.train.config.TrainConfig;

/**
 * The training corpus and the dev set of a configuration, read and tokenized with its limits, as every trainer
 * (one machine or data-parallel) uses them.
 *
 * @param corpus the tokenized training pairs
 * @param dev    the dev set for validation
 */
public record TrainingData(TokenizedCorpus corpus, DevSet dev) {

    /** Reads {@code config.data()}, logging what was read and dropped to {@code writer}. */
    public static TrainingData read(TrainConfig config, SubwordTokenizer source, SubwordTokenizer target,
                                    ModelDirectoryWriter writer) throws IOException {
        DataConfig data = config.data();
        LengthLimits limits = new LengthLimits(data.maxChars(), data.maxWords());
        TokenizedCorpus corpus;
        try (ParallelTextReader reader = ParallelTextReader.open(Path.of(data.trainSource()),
                Path.of(data.trainTarget()), limits)) {
            corpus = TokenizedCorpus.tokenize(reader, source, target, data.maxSourceSubwords(),
                    data.maxTargetSubwords());
            writer.log("training data: " + corpus.size() + " pairs from " + reader.describeFiles() + " ("
                    + reader.stats() + ", " + corpus.droppedTooManySubwords() + " over the subword limits)");
        }
        DevSet dev = DevSet.read(Path.of(data.devSource()), Path.of(data.devTarget()), limits, source, target,
                data.maxSourceSubwords(), data.maxTargetSubwords(), config.train().devSentences());
        writer.log("dev data: " + dev.size() + " pairs");
        return new TrainingData(corpus, dev);
    }
}

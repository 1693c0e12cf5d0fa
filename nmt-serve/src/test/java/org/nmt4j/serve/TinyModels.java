package org.nmt4j.serve;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nmt4j.core.model.Checkpoint;
import org.nmt4j.core.model.ModelConfig;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.core.model.ModelLayout;
import org.nmt4j.core.model.Seq2SeqModel;
import org.nmt4j.core.text.SpecialIds;
import org.nmt4j.core.text.SpmFixtures;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.config.TrainConfig;
import org.nmt4j.train.model.Seq2SeqGraph;

/** Test helpers: untrained encoder-decoders with random weights, random sources, model directories. */
public final class TinyModels {

    public static final SpecialIds IDS = SpecialIds.NMT4J;
    public static final ModelConfig CONFIG = new ModelConfig(8, 12, 1, 1, "softmax", "general", 1.0, false, 0.0,
            false);

    private TinyModels() {
    }

    /**
     * The parameters of a random graph with source and target vocabulary {@code vocab}; {@code eosBias} is added to
     * the output bias of eos, so that outputs end at eos as well as at the length bound.
     */
    public static Map<String, INDArray> parameters(int vocab, long seed, double eosBias) {
        Map<String, INDArray> table = Seq2SeqGraph.build(CONFIG, vocab, vocab, 0.0, new NoOp(), seed,
                DataType.FLOAT).paramTable();
        INDArray bias = table.get(ModelLayout.param(ModelLayout.OUTPUT, "b"));
        bias.putScalar(IDS.eos(), bias.getDouble(IDS.eos()) + eosBias);
        return table;
    }

    public static Seq2SeqModel model(int vocab, long seed, double eosBias) {
        return new Seq2SeqModel(CONFIG, parameters(vocab, seed, eosBias));
    }

    /**
     * A model directory under {@code dir}: config, one joint SentencePiece model of 60 pieces (trained with
     * {@code spm_train}) on both sides, and a random best.zip.
     */
    public static ModelDirectory directory(Path dir, int maxSourceSubwords) throws IOException, InterruptedException {
        Path spm = SpmFixtures.trainModel(Files.createDirectories(dir.resolve("spm")), 60);
        ModelDirectory model = new ModelDirectory(Files.createDirectories(dir.resolve("model")));
        Files.copy(spm, model.sourceSpm());
        Files.copy(spm, model.targetSpm());
        TrainConfig config = TrainConfig.load(null, List.of("model.embedding=" + CONFIG.embedding(),
                "model.hidden=" + CONFIG.hidden(), "model.dropout=0.0", "model.tie_target_embeddings=false",
                "data.max_source_subwords=" + maxSourceSubwords));
        Files.writeString(model.config(), config.toYaml(), UTF_8);
        int vocab;
        try (SubwordTokenizer tokenizer = SubwordTokenizer.load(spm)) {
            vocab = tokenizer.vocabSize();
        }
        new Checkpoint(new LinkedHashMap<>(parameters(vocab, 21, 0)), null, "{}", Map.of()).write(model.best());
        return model;
    }

    /** Random sources of the given lengths over ids 4 .. vocab-1, each followed by eos. */
    public static int[][] sources(int vocab, long seed, int... lengths) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] sources = new int[lengths.length][];
        for (int s = 0; s < lengths.length; s++) {
            sources[s] = new int[lengths[s] + 1];
            for (int t = 0; t < lengths[s]; t++) {
                sources[s][t] = random.nextInt(4, vocab);
            }
            sources[s][lengths[s]] = IDS.eos();
        }
        return sources;
    }
}

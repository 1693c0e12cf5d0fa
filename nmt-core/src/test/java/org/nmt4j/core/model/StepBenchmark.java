package org.nmt4j.core.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one beam-like decoder step of {@link Seq2SeqModel}: N hypotheses (5 per sentence) over sources of 30 ids,
 * h = E = 256, V = 8000, one encoder and one decoder layer, general scorer, random parameters. A step is
 * {@code step} + reading the logits into a {@code float[]} and their {@link LogSumExp} + {@code select} of parents
 * within each sentence's beam. Arguments: normalizer names (default softmax and struct-l2). Run: see
 * nmt-core/README.md.
 */
public final class StepBenchmark {

    static final int HIDDEN = 256;
    static final int VOCAB = 8000;
    static final int SOURCE_LENGTH = 30;
    static final int BEAM = 5;
    static final int WARMUP = 300;
    static final int STEPS = 500;

    private StepBenchmark() {
    }

    public static void main(String[] args) {
        String[] normalizers = args.length > 0 ? args : new String[] {"softmax", "struct-l2"};
        for (String normalizer : normalizers) {
            ModelConfig config = new ModelConfig(HIDDEN, HIDDEN, 1, 1, normalizer, "general", 1.0, false, 0.0, false);
            Seq2SeqModel model = new Seq2SeqModel(config, randomParameters(config, VOCAB, VOCAB, 1));
            for (int n : new int[] {5, 64}) {
                time(model, n);
            }
        }
    }

    private static void time(Seq2SeqModel model, int n) {
        int sentences = (n + BEAM - 1) / BEAM;
        Random random = new Random(7);
        int[][] sources = new int[sentences][];
        Arrays.setAll(sources, s -> random.ints(SOURCE_LENGTH, 4, VOCAB).toArray());
        int[] beams = new int[n];
        Arrays.setAll(beams, i -> i / BEAM);
        DecoderState state = model.start(model.encode(sources)).select(beams);
        // Parents: every hypothesis continues the first one of its sentence's beam, so the memory stays.
        int[] parents = new int[n];
        Arrays.setAll(parents, i -> i / BEAM * BEAM);
        int[] tokens = new int[n];
        Arrays.fill(tokens, 2);
        double[] millis = new double[STEPS];
        float checksum = 0;
        for (int i = 0; i < WARMUP + STEPS; i++) {
            long start = System.nanoTime();
            DecoderStep step = model.step(state, tokens);
            float[] logits = step.logits().data().asFloat();
            double[] normalizers = LogSumExp.rows(logits, n, VOCAB);
            state = step.state().select(parents);
            long end = System.nanoTime();
            checksum += logits[i % logits.length] - normalizers[0];
            Arrays.setAll(tokens, h -> random.nextInt(4, VOCAB));
            if (i >= WARMUP) {
                millis[i - WARMUP] = (end - start) / 1e6;
            }
        }
        Arrays.sort(millis);
        System.out.printf("%-14s N=%-3d step median %.2f ms  p10 %.2f  p90 %.2f  (checksum %.1f)%n",
                model.config().attention(), n, millis[STEPS / 2], millis[STEPS / 10], millis[STEPS * 9 / 10],
                checksum);
    }

    /** Parameters with the keys and shapes of the training graph, normal(0, 0.1). */
    static Map<String, INDArray> randomParameters(ModelConfig config, int sourceVocab, int targetVocab,
                                                  long seed) {
        Nd4j.getRandom().setSeed(seed);
        int e = config.embedding();
        int h = config.hidden();
        Map<String, INDArray> p = new HashMap<>();
        p.put("source_embedding_W", random(sourceVocab, e));
        for (int i = 0; i < config.encoderLayers(); i++) {
            for (String layer : new String[] {ModelLayout.encoderForward(i), ModelLayout.encoderBackward(i)}) {
                p.put(layer + "_W", random(i == 0 ? e : h, 2 * h));
                p.put(layer + "_RW", random(h / 2, 2 * h));
                p.put(layer + "_b", random(1, 2 * h));
            }
        }
        p.put("bridge_W", random(h, h));
        p.put("bridge_b", random(1, h));
        p.put("target_embedding_W", random(targetVocab, e));
        for (int i = 0; i < config.decoderLayers(); i++) {
            String prefix = ModelLayout.decoder(i) + "_";
            p.put(prefix + "W", random(i == 0 ? e + h : h, 4 * h));
            p.put(prefix + "RW", random(h, 4 * h));
            p.put(prefix + "b", random(1, 4 * h));
        }
        p.put("query_W", random(h, h).reshape(h, h, 1, 1));
        p.put("attention_transitions", random(1, 4));
        p.put("attentional_W", random(2 * h, h));
        p.put("attentional_b", random(1, h));
        p.put("output_W", random(h, targetVocab));
        p.put("output_b", random(1, targetVocab));
        return p;
    }

    private static INDArray random(int rows, int cols) {
        return Nd4j.randn(DataType.FLOAT, rows, cols).muli(0.1);
    }
}

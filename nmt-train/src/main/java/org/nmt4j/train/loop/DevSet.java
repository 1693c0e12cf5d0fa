package org.nmt4j.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.BatchPlanner;
import org.nmt4j.core.data.LengthLimits;
import org.nmt4j.core.data.ParallelTextReader;
import org.nmt4j.core.data.SentencePair;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.eval.Bleu;
import org.nmt4j.core.eval.Chrf;
import org.nmt4j.core.eval.References;
import org.nmt4j.core.model.GreedySearch;
import org.nmt4j.core.model.ModelConfig;
import org.nmt4j.core.model.Seq2SeqModel;
import org.nmt4j.core.text.SubwordTokenizer;
import org.nmt4j.train.model.TrainingBatch;

/**
 * The development set and its validation: per-token loss with teacher forcing on the training graph, and BLEU and
 * chrF of greedy translations made by the inference decoder over the same parameters.
 */
public final class DevSet {

    /** Padded tokens per validation batch (raised to fit the longest pair). */
    private static final int BATCH_TOKENS = 4000;
    /** Maximum greedy output length {@code a·|x| + b}. */
    private static final double LENGTH_RATIO = 2.0;
    private static final double LENGTH_OFFSET = 10.0;

    private final TokenizedCorpus corpus;
    private final List<int[]> batches;
    private final List<String> references;
    private final SubwordTokenizer targetTokenizer;

    private DevSet(TokenizedCorpus corpus, List<int[]> batches, List<String> references,
                   SubwordTokenizer targetTokenizer) {
        this.corpus = corpus;
        this.batches = batches;
        this.references = references;
        this.targetTokenizer = targetTokenizer;
    }

    /** Reads at most {@code maxPairs} (0: all) dev pairs; over-long pairs are cut to the subword limits. */
    public static DevSet read(Path source, Path target, LengthLimits limits, SubwordTokenizer sourceTokenizer,
                              SubwordTokenizer targetTokenizer, int maxSourceIds, int maxTargetIds, int maxPairs)
            throws IOException {
        List<int[]> src = new ArrayList<>();
        List<int[]> tgt = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (ParallelTextReader reader = ParallelTextReader.open(source, target, limits)) {
            for (SentencePair pair = reader.next(); pair != null && (maxPairs == 0 || refs.size() < maxPairs);
                    pair = reader.next()) {
                int[] s = sourceTokenizer.encode(pair.source());
                int[] t = targetTokenizer.encode(pair.target());
                src.add(Arrays.copyOf(s, Math.min(s.length, maxSourceIds)));
                tgt.add(Arrays.copyOf(t, Math.min(t.length, maxTargetIds)));
                refs.add(pair.target());
                lines.add(pair.lineIndex());
            }
            if (refs.isEmpty()) {
                throw new IllegalArgumentException("the dev set " + reader.describeFiles() + " has no usable pairs ("
                        + reader.stats() + ")");
            }
        }
        TokenizedCorpus corpus = new TokenizedCorpus(src.toArray(new int[0][]), tgt.toArray(new int[0][]),
                lines.stream().mapToLong(Long::longValue).toArray(), 0);
        int batchTokens = Math.max(BATCH_TOKENS, Math.max(maxSourceIds, maxTargetIds) + 1);
        return new DevSet(corpus, new BatchPlanner(corpus, batchTokens).planSorted(), refs, targetTokenizer);
    }

    public int size() {
        return corpus.size();
    }

    /** Validates the graph's current parameters. */
    public Validation validate(ComputationGraph net, ModelConfig model) {
        long start = System.nanoTime();
        double nll = 0;
        long tokens = 0;
        for (int[] examples : batches) {
            Batch batch = Batch.assemble(corpus, examples, targetTokenizer.specialIds(), 0, 0);
            nll += negativeLogLikelihood(net, batch);
            tokens += TrainingBatch.targetTokens(batch);
        }
        List<String> hypotheses = translate(new Seq2SeqModel(model, net.paramTable()));
        References refs = References.single(references);
        Bleu bleu = new Bleu();
        return new Validation(nll / tokens, bleu.corpusScore(hypotheses, refs).score(),
                new Chrf().corpusScore(hypotheses, refs).score(), bleu.signature(refs), corpus.size(),
                (System.nanoTime() - start) / 1e9);
    }

    private static double negativeLogLikelihood(ComputationGraph net, Batch batch) {
        MultiDataSet data = TrainingBatch.of(batch, DataType.FLOAT);
        INDArray probabilities = net.output(false, data.getFeatures(), data.getFeaturesMaskArrays(),
                data.getLabelsMaskArrays())[0];
        double nll = 0;
        for (int r = 0; r < batch.size(); r++) {
            for (int t = 0; t < batch.targetLengths()[r]; t++) {
                nll -= Math.log(Math.max(probabilities.getDouble(r, batch.targetOutput()[r][t], t), 1e-30));
            }
        }
        return nll;
    }

    private List<String> translate(Seq2SeqModel model) {
        GreedySearch search = new GreedySearch(model, targetTokenizer.specialIds(), LENGTH_RATIO, LENGTH_OFFSET);
        String[] hypotheses = new String[corpus.size()];
        int eos = targetTokenizer.eosId();
        for (int[] examples : batches) {
            int[][] sources = new int[examples.length][];
            for (int i = 0; i < examples.length; i++) {
                int[] x = corpus.source(examples[i]);
                sources[i] = Arrays.copyOf(x, x.length + 1);
                sources[i][x.length] = eos;
            }
            int[][] outputs = search.translate(sources);
            for (int i = 0; i < examples.length; i++) {
                hypotheses[examples[i]] = targetTokenizer.decode(outputs[i]);
            }
        }
        return Arrays.asList(hypotheses);
    }
}

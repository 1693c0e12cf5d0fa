package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.model.ModelConfig;

/** DL4J's finite-difference gradient check over the whole encoder-decoder, in double precision, mixed lengths. */
class Seq2SeqGradientCheckTest {

    @ParameterizedTest
    @CsvSource({"softmax,general,false", "sparsemax,dot,false", "struct-entropy,general,false",
        "struct-l2,general,false"})
    void wholeGraphGradientMatchesFiniteDifferences(String attention, String scorer, boolean tied) {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            int vocab = 9;
            ModelConfig model = new ModelConfig(6, 6, 1, 1, attention, scorer, 1.0, false, 0.0, tied);
            ComputationGraph net = Seq2SeqGraph.build(model, vocab, vocab, 0.1, new NoOp(), 7, DataType.DOUBLE);
            if (attention.startsWith("struct")) {
                net.getVertex("attention").params().assign(Nd4j.createFromArray(0.3, -0.2, 0.1, 0.5)
                        .reshape(net.getVertex("attention").params().shape()));
            }
            TokenizedCorpus corpus = SyntheticTask.corpus(3, vocab, 2, 5, true, 11);
            MultiDataSet data = TrainingBatch.of(Batch.assemble(corpus, new int[] {0, 1, 2}, SyntheticTask.IDS, 0, 0),
                    DataType.DOUBLE);
            boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                    .inputs(data.getFeatures()).labels(data.getLabels())
                    .inputMask(data.getFeaturesMaskArrays()).labelMask(data.getLabelsMaskArrays())
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8));
            assertTrue(passed, attention + "/" + scorer + " failed the gradient check");
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }
}

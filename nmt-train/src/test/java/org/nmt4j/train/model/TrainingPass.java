package org.nmt4j.train.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** One training pass of a graph (forward, backward, score) on a batch, with reproducible dropout. */
final class TrainingPass {

    private TrainingPass() {
    }

    /** Sets the batch and its masks on {@code net}, seeds ND4J's random numbers, computes gradients and score. */
    static void run(ComputationGraph net, MultiDataSet data, long dropoutSeed) {
        net.setInputs(data.getFeatures());
        net.setLabels(data.getLabels());
        net.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
        Nd4j.getRandom().setSeed(dropoutSeed);
        net.computeGradientAndScore();
    }
}

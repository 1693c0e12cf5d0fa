package org.nmt4j.train.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nmt4j.core.model.NativeFloats;
import org.nmt4j.core.model.VectorApi;

/**
 * The updater of {@link VectorAdam}: ND4J's Adam update of a float gradient with contiguous state (the views DL4J
 * gives, read through {@link NativeFloats#view}), computed in chunks copied into Java arrays ({@link VectorAdamStep})
 * with the parameters shared between the cores ({@link RowParts}). Other data types and layouts, and a JVM without
 * the Vector API, take ND4J's op.
 */
final class VectorAdamUpdater extends AdamUpdater {

    /** Parameters per copy in and out of Java arrays. */
    private static final int CHUNK = 8192;

    VectorAdamUpdater(Adam config) {
        super(config);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        INDArray m = getM();
        INDArray v = getV();
        if (m == null || v == null || !VectorApi.enabled() || !NativeFloats.viewable(gradient)
                || !NativeFloats.viewable(m) || !NativeFloats.viewable(v) || gradient.length() != m.length()
                || m.length() != v.length()) {
            super.applyUpdater(gradient, iteration, epoch);
            return;
        }
        Adam config = getConfig();
        double beta1 = config.getBeta1();
        double beta2 = config.getBeta2();
        double learningRate = config.getLearningRate(iteration, epoch);
        float stepSize = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, iteration + 1))
                / (1 - Math.pow(beta1, iteration + 1)));
        float epsilon = (float) config.getEpsilon();
        NativeFloats.View g = NativeFloats.view(gradient);
        NativeFloats.View first = NativeFloats.view(m);
        NativeFloats.View second = NativeFloats.view(v);
        RowParts.forEach(Math.toIntExact(gradient.length()), CHUNK, (part, from, to) -> {
            float[] gs = new float[CHUNK];
            float[] ms = new float[CHUNK];
            float[] vs = new float[CHUNK];
            for (int start = from; start < to; start += CHUNK) {
                int length = Math.min(CHUNK, to - start);
                g.get(start, gs, length);
                first.get(start, ms, length);
                second.get(start, vs, length);
                VectorAdamStep.update(gs, ms, vs, length, beta1, beta2, stepSize, epsilon);
                g.put(start, gs, length);
                first.put(start, ms, length);
                second.put(start, vs, length);
            }
        });
    }
}

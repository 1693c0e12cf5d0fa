package org.nmt4j.core.model;

import static org.nmt4j.core.model.FloatVectors.DOUBLES;
import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.addInDouble;
import static org.nmt4j.core.model.FloatVectors.load;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link LogSumExp} of one row on Java's Vector API: maximum and {@code exp} vectorized in float, the sum of the
 * exponentials accumulated in double. Loaded only where {@link VectorApi#enabled()}.
 */
final class VectorLogSumExp {

    private VectorLogSumExp() {
    }

    static double row(float[] values, int from, int columns) {
        int to = from + columns;
        int vectorEnd = from + FLOATS.loopBound(columns);
        FloatVector maxima = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
        for (int i = from; i < vectorEnd; i += FLOATS.length()) {
            maxima = maxima.max(load(values, i));
        }
        float max = maxima.reduceLanes(VectorOperators.MAX);
        for (int i = vectorEnd; i < to; i++) {
            max = Math.max(max, values[i]);
        }
        DoubleVector sums = DoubleVector.zero(DOUBLES);
        for (int i = from; i < vectorEnd; i += FLOATS.length()) {
            sums = addInDouble(sums, load(values, i).sub(max).lanewise(VectorOperators.EXP));
        }
        double sum = sums.reduceLanes(VectorOperators.ADD);
        for (int i = vectorEnd; i < to; i++) {
            sum += Math.exp((double) values[i] - max);
        }
        return max + Math.log(sum);
    }
}

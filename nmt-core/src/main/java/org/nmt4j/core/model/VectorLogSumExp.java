package org.nmt4j.core.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LogSumExp} of one row on Java's Vector API: maximum and {@code exp} vectorized in float, the sum of the
 * exponentials accumulated in double. Loaded only where {@link VectorApi#enabled()}.
 */
final class VectorLogSumExp {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Doubles in a vector of the same size: each float vector converts to {@link #PARTS} of them. */
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int PARTS = FLOATS.length() / DOUBLES.length();

    private VectorLogSumExp() {
    }

    static double row(float[] values, int from, int columns) {
        int to = from + columns;
        int vectorEnd = from + FLOATS.loopBound(columns);
        FloatVector maxima = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
        for (int i = from; i < vectorEnd; i += FLOATS.length()) {
            maxima = maxima.max(FloatVector.fromArray(FLOATS, values, i));
        }
        float max = maxima.reduceLanes(VectorOperators.MAX);
        for (int i = vectorEnd; i < to; i++) {
            max = Math.max(max, values[i]);
        }
        DoubleVector sums = DoubleVector.zero(DOUBLES);
        for (int i = from; i < vectorEnd; i += FLOATS.length()) {
            FloatVector exponentials = FloatVector.fromArray(FLOATS, values, i).sub(max)
                    .lanewise(VectorOperators.EXP);
            for (int part = 0; part < PARTS; part++) {
                sums = sums.add(exponentials.convertShape(VectorOperators.F2D, DOUBLES, part));
            }
        }
        double sum = sums.reduceLanes(VectorOperators.ADD);
        for (int i = vectorEnd; i < to; i++) {
            sum += Math.exp((double) values[i] - max);
        }
        return max + Math.log(sum);
    }
}

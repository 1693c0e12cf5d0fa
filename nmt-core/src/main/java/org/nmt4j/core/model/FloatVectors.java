package org.nmt4j.core.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the loops written on Java's Vector API share: the vector shapes (the machine's preferred size: 16 floats
 * with AVX-512, 8 with AVX2) and small operations on them. Loaded only where {@link VectorApi#enabled()}.
 */
public final class FloatVectors {

    public static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Doubles in a vector of the same size: each float vector converts to {@link #PARTS} of them. */
    public static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    public static final int PARTS = FLOATS.length() / DOUBLES.length();

    private FloatVectors() {
    }

    /** The vector of floats at {@code array[index …]}. */
    public static FloatVector load(float[] array, int index) {
        return FloatVector.fromArray(FLOATS, array, index);
    }

    /** {@code sums + values}, the values converted to double. */
    public static DoubleVector addInDouble(DoubleVector sums, FloatVector values) {
        for (int part = 0; part < PARTS; part++) {
            sums = sums.add(values.convertShape(VectorOperators.F2D, DOUBLES, part));
        }
        return sums;
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(FLOATS, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }
}

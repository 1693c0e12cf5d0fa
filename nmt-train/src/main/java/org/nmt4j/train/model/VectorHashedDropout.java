package org.nmt4j.train.model;

import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.load;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link HashedDropout}'s masked multiplication on Java's Vector API: the hash of one position per lane. */
final class VectorHashedDropout {

    /** Ints in a vector of the float vector's shape, so that a mask of them converts lane for lane. */
    private static final VectorSpecies<Integer> INTS = FLOATS.withLanes(int.class);

    private VectorHashedDropout() {
    }

    /** {@code values[i] *= kept(i) ? scale : 0} for {@code i < length}. */
    static void multiply(float[] values, int length, long seed, int threshold, float scale) {
        int seedLow = (int) seed;
        int seedHigh = (int) (seed >>> 32);
        IntVector lanes = IntVector.zero(INTS).addIndex(1);
        FloatVector zero = FloatVector.zero(FLOATS);
        int vectorEnd = FLOATS.loopBound(length);
        for (int i = 0; i < vectorEnd; i += FLOATS.length()) {
            IntVector x = lanes.add(i + seedLow).mul(0x9E3779B9).lanewise(VectorOperators.XOR, seedHigh);
            x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
            x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
            x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
            VectorMask<Float> kept = x.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.LT, threshold)
                    .cast(FLOATS);
            zero.blend(load(values, i).mul(scale), kept).intoArray(values, i);
        }
        for (int i = vectorEnd; i < length; i++) {
            values[i] = HashedDropout.kept(HashedDropout.hash(i, seed), threshold) ? values[i] * scale : 0;
        }
    }
}

package org.nmt4j.train.model;

import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.load;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link HashedDropout}'s masked multiplication on Java's Vector API, along the memory of a contiguous array:
 * runs of its fastest-varying dimension, one position hash per lane; a run's last vector may reach into the next
 * run and leaves those lanes as they are.
 */
final class VectorHashedDropout {

    /** Ints in a vector of the float vector's shape, so that a mask of them converts lane for lane. */
    private static final VectorSpecies<Integer> INTS = FLOATS.withLanes(int.class);

    private VectorHashedDropout() {
    }

    /** The first {@code length} values, in an array one vector longer, so that every run ends in a whole vector. */
    static float[] paddedCopy(FloatBuffer values, int length) {
        float[] data = new float[length + FLOATS.length()];
        values.get(0, data, 0, length);
        return data;
    }

    /**
     * {@code values[i] *= kept(i) ? scale : 0} for the values of an array whose dimensions in memory order (the
     * fastest first) are {@code shape}, with the position coefficients {@code coefficients} in the same order.
     */
    static void multiply(float[] values, int[] shape, int[] coefficients, long seed, int threshold, float scale) {
        int run = shape[0];
        int length = 1;
        for (int size : shape) {
            length *= size;
        }
        IntVector laneSteps = IntVector.zero(INTS).addIndex(1).mul(coefficients[0]);
        int vectorStep = FLOATS.length() * coefficients[0];
        int seedLow = (int) seed;
        int seedHigh = (int) (seed >>> 32);
        FloatVector zero = FloatVector.zero(FLOATS);
        int[] index = new int[shape.length];
        int runPosition = 0;
        for (int start = 0; start < length; start += run) {
            IntVector position = laneSteps.add(runPosition + seedLow);
            for (int j = 0; j < run; j += FLOATS.length()) {
                IntVector x = position.mul(0x9E3779B9).lanewise(VectorOperators.XOR, seedHigh);
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
                VectorMask<Float> kept = x.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.LT, threshold)
                        .cast(FLOATS);
                FloatVector original = load(values, start + j);
                FloatVector masked = zero.blend(original.mul(scale), kept);
                if (j + FLOATS.length() > run) {
                    masked = original.blend(masked, FLOATS.indexInRange(j, run));
                }
                masked.intoArray(values, start + j);
                position = position.add(vectorStep);
            }
            for (int d = 1; d < shape.length; d++) {
                runPosition += coefficients[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                runPosition -= index[d] * coefficients[d];
                index[d] = 0;
            }
        }
    }
}

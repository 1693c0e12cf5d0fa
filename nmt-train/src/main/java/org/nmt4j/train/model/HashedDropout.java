package org.nmt4j.train.model;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnoreProperties;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import java.nio.FloatBuffer;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.model.NativeFloats;
import org.nmt4j.core.model.VectorApi;

/**
 * Inverted dropout (a value is kept with probability {@code p} and divided by {@code p}, or zeroed) whose mask is
 * never stored: whether the value at C-order position {@code i} is kept is a hash of {@code i} and a seed drawn
 * from ND4J's random generator at each forward pass, so the backward pass recomputes the same mask. Each pass
 * reads and writes the values once, where DL4J's {@code Dropout} fills, randomizes and multiplies a mask array;
 * the masks are as reproducible as DL4J's (one draw per pass from the seeded generator). Float arrays take the
 * Vector API path ({@link VectorHashedDropout}) where the JVM has it.
 */
@JsonIgnoreProperties({"seed"})
public final class HashedDropout implements IDropout {

    private final double p;
    private long seed;

    /** @param p the probability of keeping a value, in (0, 1] (DL4J's convention for {@code dropOut}) */
    @JsonCreator
    public HashedDropout(@JsonProperty("p") double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("the probability of keeping a value must be in (0, 1], got " + p);
        }
        this.p = p;
    }

    /** The probability of keeping a value. */
    public double getP() {
        return p;
    }

    @Override
    public INDArray applyDropout(INDArray input, INDArray result, int iteration, int epoch,
                                 LayerWorkspaceMgr workspaceMgr) {
        seed = Nd4j.getRandom().nextLong();
        return multiplyByMask(input, result);
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        return multiplyByMask(gradAtOutput, gradAtInput);
    }

    /** {@code result = values · mask / p}, the mask of the current {@link #seed}. */
    private INDArray multiplyByMask(INDArray values, INDArray result) {
        int length = Math.toIntExact(values.length());
        int threshold = threshold(p);
        float scale = (float) (1 / p);
        if (values.dataType() == DataType.FLOAT && VectorApi.enabled()) {
            float[] data = new float[length];
            NativeFloats.read(values).get(0, data);
            VectorHashedDropout.multiply(data, length, seed, threshold, scale);
            if (NativeFloats.accessible(result)) {
                NativeFloats.of(result).put(0, data);
            } else {
                result.assign(Nd4j.create(data, values.shape(), 'c'));
            }
            return result;
        }
        double[] mask = new double[length];
        for (int i = 0; i < length; i++) {
            mask[i] = kept(hash(i, seed), threshold) ? 1 / p : 0;
        }
        return result.assign(values.mul(Nd4j.create(mask, values.shape(), 'c').castTo(values.dataType())));
    }

    /** The bound below which {@code hash >>> 8} (24 random bits) keeps a value. */
    static int threshold(double p) {
        return (int) Math.round(p * (1 << 24));
    }

    /** Whether a value whose position hashes to {@code hash} is kept. */
    static boolean kept(int hash, int threshold) {
        return hash >>> 8 < threshold;
    }

    /**
     * The hash of position {@code index} under {@code seed}: the golden-ratio multiple of the seeded position,
     * mixed by MurmurHash3's 32-bit finalizer ({@link VectorHashedDropout} computes the same per vector lane).
     */
    static int hash(int index, long seed) {
        int x = (index + (int) seed) * 0x9E3779B9 ^ (int) (seed >>> 32);
        x ^= x >>> 16;
        x *= 0x85EBCA6B;
        x ^= x >>> 13;
        x *= 0xC2B2AE35;
        return x ^ x >>> 16;
    }

    @Override
    public void clear() {
        // Nothing is held between passes but the seed, which the next forward pass replaces.
    }

    @Override
    public HashedDropout clone() {
        return new HashedDropout(p);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HashedDropout dropout && dropout.p == p;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(p);
    }

    @Override
    public String toString() {
        return "HashedDropout(p=" + p + ")";
    }
}

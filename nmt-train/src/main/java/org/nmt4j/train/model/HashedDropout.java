package org.nmt4j.train.model;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnoreProperties;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nmt4j.core.model.NativeFloats;
import org.nmt4j.core.model.VectorApi;

/**
 * Inverted dropout (a value is kept with probability {@code p} and divided by {@code p}, or zeroed) whose mask is
 * never stored: whether the value at coordinates {@code (i0, i1, …)} is kept is a hash of {@code Σ i_d·K_d} and a
 * seed drawn from ND4J's random generator at each forward pass, so the backward pass recomputes the same mask
 * whatever the memory order (C or F) of its gradient. The position term is linear in the coordinates, so it
 * steps by a constant along the memory of any contiguous layout, which lets {@link VectorHashedDropout} hash one
 * value per vector lane in place. Each pass reads and writes the values once, where DL4J's {@code Dropout} fills,
 * randomizes and multiplies a mask array; the masks are as reproducible as DL4J's (one draw per pass from the
 * seeded generator).
 */
@JsonIgnoreProperties({"seed"})
public final class HashedDropout implements IDropout {

    /** {@code K_d}, odd constants (xxHash's primes), one per dimension. */
    private static final int[] COEFFICIENTS = {0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1};

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
        if (values.rank() > COEFFICIENTS.length) {
            throw new IllegalArgumentException("dropout takes arrays of up to " + COEFFICIENTS.length
                    + " dimensions, got " + values.shapeInfoToString());
        }
        int threshold = threshold(p);
        float scale = (float) (1 / p);
        if (values.dataType() == DataType.FLOAT && VectorApi.enabled()) {
            char order = values.ordering();
            float[] data = VectorHashedDropout.paddedCopy(NativeFloats.inMemoryOrder(values),
                    Math.toIntExact(values.length()));
            int[] shape = memoryShape(values.shape(), order);
            VectorHashedDropout.multiply(data, shape, memoryCoefficients(shape.length, order), seed, threshold, scale);
            boolean inPlace = result.ordering() == order && NativeFloats.contiguous(result);
            INDArray masked = inPlace ? result : Nd4j.create(DataType.FLOAT, values.shape(), order);
            NativeFloats.memory(masked).put(0, data, 0, Math.toIntExact(values.length()));
            return inPlace ? result : result.assign(masked);
        }
        return result.assign(values.mul(scalarMask(values.shape(), threshold).castTo(values.dataType())));
    }

    /** The mask (0 or 1/p) in double, one position at a time in C order: the reference for the vector path. */
    private INDArray scalarMask(long[] shape, int threshold) {
        int[] coordinates = new int[shape.length];
        double[] mask = new double[Math.toIntExact(ArrayUtil.prodLong(shape))];
        for (int i = 0; i < mask.length; i++) {
            int position = 0;
            for (int d = 0; d < shape.length; d++) {
                position += coordinates[d] * COEFFICIENTS[d];
            }
            mask[i] = kept(hash(position, seed), threshold) ? 1 / p : 0;
            for (int d = shape.length - 1; d >= 0 && ++coordinates[d] == shape[d]; d--) {
                coordinates[d] = 0;
            }
        }
        return Nd4j.create(mask, shape, 'c');
    }

    /** The dimensions in memory order, the fastest-varying first. */
    private static int[] memoryShape(long[] shape, char order) {
        int[] result = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            result[d] = Math.toIntExact(shape[order == 'c' ? shape.length - 1 - d : d]);
        }
        return result;
    }

    /** {@link #COEFFICIENTS} of the dimensions in memory order. */
    private static int[] memoryCoefficients(int rank, char order) {
        int[] result = new int[rank];
        for (int d = 0; d < rank; d++) {
            result[d] = COEFFICIENTS[order == 'c' ? rank - 1 - d : d];
        }
        return result;
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
     * The hash of a position term {@code Σ i_d·K_d} under {@code seed}: the golden-ratio multiple of the seeded
     * term, mixed by MurmurHash3's 32-bit finalizer ({@link VectorHashedDropout} computes the same per lane).
     */
    static int hash(int position, long seed) {
        int x = (position + (int) seed) * 0x9E3779B9 ^ (int) (seed >>> 32);
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

package org.nmt4j.core.eval;

/**
 * NumPy's default bit generator, PCG64 (128-bit LCG, XSL-RR output), seeded through
 * {@link SeedSequence} as {@code numpy.random.default_rng(seed)} seeds it, with the bounded
 * integers of {@code Generator.integers} (Lemire's method on buffered 32-bit draws,
 * {@code numpy/random/src/distributions/distributions.c}). {@code new Pcg64(12345)} then draws
 * the same bootstrap indices as sacreBLEU's {@code default_rng(12345).choice(n, size=(R, n))}.
 */
public final class Pcg64 {

    private static final long MULT_HI = 0x2360ED051FC65DA4L;
    private static final long MULT_LO = 0x4385DF649FCCF645L;

    private long stateHi;
    private long stateLo;
    private final long incHi;
    private final long incLo;
    private boolean hasUint32;
    private int uinteger;

    /** The generator of {@code numpy.random.default_rng(seed)}. */
    public Pcg64(long seed) {
        long[] words = new SeedSequence(seed).generateState64(4);
        // pcg64_set_seed: initstate = (words[0] << 64) | words[1], initseq = (words[2] << 64) | words[3]
        long initHi = words[0];
        long initLo = words[1];
        incHi = (words[2] << 1) | (words[3] >>> 63);
        incLo = (words[3] << 1) | 1L;
        stateHi = 0;
        stateLo = 0;
        step();
        long lo = stateLo + initLo;
        stateHi = stateHi + initHi + (Long.compareUnsigned(lo, stateLo) < 0 ? 1 : 0);
        stateLo = lo;
        step();
    }

    private void step() {
        long lo = stateLo * MULT_LO;
        long hi = unsignedMultiplyHigh(stateLo, MULT_LO) + stateLo * MULT_HI + stateHi * MULT_LO;
        long newLo = lo + incLo;
        stateHi = hi + incHi + (Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0);
        stateLo = newLo;
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** The next 64-bit output. */
    public long nextLong() {
        step();
        return Long.rotateRight(stateHi ^ stateLo, (int) (stateHi >>> 58));
    }

    /** The next 32-bit output: the low half of a 64-bit output, then its high half. */
    public int nextInt() {
        if (hasUint32) {
            hasUint32 = false;
            return uinteger;
        }
        long next = nextLong();
        hasUint32 = true;
        uinteger = (int) (next >>> 32);
        return (int) next;
    }

    /**
     * Fills {@code out} with integers uniform in [0, bound), as {@code Generator.integers(0, bound,
     * size=out.length)} does; a bound of 1 draws nothing.
     */
    public void integers(int bound, int[] out) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        if (bound == 1) {
            java.util.Arrays.fill(out, 0);
            return;
        }
        long rngExcl = bound;
        long threshold = (0xFFFFFFFFL - (bound - 1)) % rngExcl;
        for (int i = 0; i < out.length; i++) {
            long m = (nextInt() & 0xFFFFFFFFL) * rngExcl;
            long leftover = m & 0xFFFFFFFFL;
            if (leftover < rngExcl) {
                while (leftover < threshold) {
                    m = (nextInt() & 0xFFFFFFFFL) * rngExcl;
                    leftover = m & 0xFFFFFFFFL;
                }
            }
            out[i] = (int) (m >>> 32);
        }
    }
}

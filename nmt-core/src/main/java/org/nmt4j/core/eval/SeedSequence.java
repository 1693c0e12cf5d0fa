package org.nmt4j.core.eval;

/**
 * NumPy's {@code SeedSequence} for a non-negative integer seed without spawn key: it hashes the
 * seed's 32-bit words into a pool of four words and expands the pool into state words
 * ({@code numpy/random/bit_generator.pyx}, {@code mix_entropy} and {@code generate_state}). All
 * arithmetic is modulo 2^32.
 */
public final class SeedSequence {

    private static final int POOL_SIZE = 4;
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;

    private final int[] pool = new int[POOL_SIZE];

    /** The sequence NumPy builds for {@code default_rng(seed)}. */
    public SeedSequence(long seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be non-negative: " + seed);
        }
        int[] entropy = seed >>> 32 == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
        int[] hashConst = {INIT_A};
        for (int i = 0; i < POOL_SIZE; i++) {
            pool[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
        }
        for (int src = 0; src < POOL_SIZE; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                if (src != dst) {
                    pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
                }
            }
        }
    }

    /** {@code generate_state(n, np.uint64)}: pairs of 32-bit words, little-endian. */
    public long[] generateState64(int n) {
        int[] words = new int[2 * n];
        int hashConst = INIT_B;
        for (int i = 0; i < words.length; i++) {
            int value = pool[i % POOL_SIZE];
            value ^= hashConst;
            hashConst *= MULT_B;
            value *= hashConst;
            value ^= value >>> XSHIFT;
            words[i] = value;
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (words[2 * i] & 0xFFFFFFFFL) | ((long) words[2 * i + 1] << 32);
        }
        return out;
    }

    private static int hashmix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= MULT_A;
        value *= hashConst[0];
        value ^= value >>> XSHIFT;
        return value;
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        result ^= result >>> XSHIFT;
        return result;
    }
}

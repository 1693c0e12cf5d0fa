package org.nmt4j.core.eval;

import java.util.Arrays;

/**
 * Gives every distinct n-gram (orders 1..maxOrder) of one segment's hypothesis and references a
 * small dense id, so that n-gram counting needs int arrays instead of maps of strings. The id of
 * an n-gram is looked up from the id of its (n-1)-gram prefix and its last symbol, in an
 * open-addressing table of long keys; ids are unique across orders. Call {@link #clear()} before
 * each segment.
 */
final class NgramIndexer {

    private static final long UNIGRAM = 1L << 62;
    private static final int MAX_IDS = 1 << 30;

    private long[] keys = new long[256];
    private int[] values = new int[256];
    private boolean[] used = new boolean[256];
    private int[] occupied = new int[128];
    private int size;

    /** Forgets all ids. */
    void clear() {
        for (int i = 0; i < size; i++) {
            used[occupied[i]] = false;
        }
        size = 0;
    }

    /** The number of ids handed out since the last {@link #clear()}; every id is below it. */
    int size() {
        return size;
    }

    /**
     * Returns {@code ids[n-1][i]}, the id of the n-gram of {@code symbols} starting at {@code i}
     * ({@code max(0, length-n+1)} of them per order). Symbols must be non-negative.
     */
    int[][] index(int[] symbols, int maxOrder) {
        int[][] out = new int[maxOrder][];
        int[] prev = null;
        for (int n = 1; n <= maxOrder; n++) {
            int count = Math.max(0, symbols.length - n + 1);
            int[] cur = new int[count];
            for (int i = 0; i < count; i++) {
                long key = n == 1 ? UNIGRAM | symbols[i] : ((long) prev[i] << 32) | symbols[i + n - 1];
                cur[i] = idOf(key);
            }
            out[n - 1] = cur;
            prev = cur;
        }
        return out;
    }

    private int idOf(long key) {
        int mask = keys.length - 1;
        int slot = mix(key) & mask;
        while (used[slot]) {
            if (keys[slot] == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        if (size == MAX_IDS) {
            throw new IllegalArgumentException("segment too long: more than " + MAX_IDS + " distinct n-grams");
        }
        used[slot] = true;
        keys[slot] = key;
        values[slot] = size;
        if (size == occupied.length) {
            occupied = Arrays.copyOf(occupied, size * 2);
        }
        occupied[size] = slot;
        int id = size++;
        if (size * 2 > keys.length) {
            grow();
        }
        return id;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        int[] oldOccupied = occupied;
        int n = size;
        keys = new long[oldKeys.length * 2];
        values = new int[keys.length];
        used = new boolean[keys.length];
        occupied = new int[Math.max(oldOccupied.length, keys.length / 2)];
        int mask = keys.length - 1;
        for (int i = 0; i < n; i++) {
            int old = oldOccupied[i];
            int slot = mix(oldKeys[old]) & mask;
            while (used[slot]) {
                slot = (slot + 1) & mask;
            }
            used[slot] = true;
            keys[slot] = oldKeys[old];
            values[slot] = oldValues[old];
            occupied[i] = slot;
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }
}

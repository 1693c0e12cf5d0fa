package org.nmt4j.attention.dp;

import java.util.Arrays;

/**
 * The smoothed dynamic time warping {@code DTW_Ω} of Mensch &amp; Blondel (ICML 2018) on a batch of cost
 * grids of different sizes: value (a smoothed minimum alignment cost), gradient (the expected alignment)
 * and Hessian-vector product.
 *
 * <p>{@code r[i][j] = theta[i][j] + min_Ω(r[i][j-1], r[i-1][j-1], r[i-1][j])} over the neighbours that
 * exist ({@code min_Ω(x) = -max_Ω(-x)}); {@code r[0][0] = theta[0][0] + min_Ω} over a single start node
 * of value 0 (so with L2 every single-predecessor cell pays {@code +γ/2}); value {@code r[NA-1][NB-1]}.
 */
public final class SmoothedDtw {

    /** Neighbour slots of a cell, in the reference order. */
    private static final int LEFT = 0;
    private static final int DIAGONAL = 1;
    private static final int UP = 2;
    private static final long MIN_CELLS_PER_CHUNK = 4096;

    private final SmoothedMax max;

    public SmoothedDtw(SmoothedMax max) {
        this.max = max;
    }

    /** The forward recursion and the gradient pass, stored for a later {@link #hessianProduct}. */
    public static final class Tape {
        private final GridBatch shape;
        private final double[] values;
        private final double[] weights;
        private final double[] alignment;

        private Tape(GridBatch shape) {
            this.shape = shape;
            this.values = new double[shape.batch()];
            this.weights = new double[3 * shape.size()];
            this.alignment = new double[shape.size()];
        }

        public GridBatch shape() {
            return shape;
        }

        /** {@code DTW_Ω(theta_b)} for each grid b. */
        public double[] values() {
            return values;
        }

        /** The gradient: the expected alignment, shaped like theta (zero on padding). */
        public double[] alignment() {
            return alignment;
        }
    }

    /** Runs the forward recursion and the gradient pass on every grid. */
    public Tape forward(double[] theta, GridBatch shape) {
        shape.checkCosts("theta", theta);
        Tape tape = new Tape(shape);
        Parallel.forRange(shape.batch(), (long) shape.maxA() * shape.maxB(), MIN_CELLS_PER_CHUNK, (from, to) -> {
            double[] r = new double[shape.maxA() * shape.maxB()];
            double[] scratch = new double[6];
            for (int b = from; b < to; b++) {
                forwardGrid(theta, tape, b, r, scratch);
            }
        });
        return tape;
    }

    /**
     * Gathers the negated values of the existing neighbours of (i, j) into {@code scratch[0..)} and
     * records their slots in {@code slots}; returns how many exist.
     */
    private static int neighbours(double[] values, int width, int i, int j, double sign, double[] scratch,
                                  int[] slots) {
        int n = 0;
        if (j > 0) {
            scratch[n] = sign * values[i * width + j - 1];
            slots[n++] = LEFT;
        }
        if (i > 0 && j > 0) {
            scratch[n] = sign * values[(i - 1) * width + j - 1];
            slots[n++] = DIAGONAL;
        }
        if (i > 0) {
            scratch[n] = sign * values[(i - 1) * width + j];
            slots[n++] = UP;
        }
        return n;
    }

    private void forwardGrid(double[] theta, Tape tape, int b, double[] r, double[] scratch) {
        GridBatch shape = tape.shape;
        int na = shape.lengthA(b);
        int nb = shape.lengthB(b);
        int[] slots = new int[3];
        double[] w = tape.weights;
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                int cell = shape.offset(b, i, j);
                int n = neighbours(r, nb, i, j, -1.0, scratch, slots);
                double minimum;
                if (n == 0) {
                    scratch[0] = 0.0; // the start node
                    minimum = -max.max(scratch, 0, 1, scratch, 3);
                } else {
                    minimum = -max.max(scratch, 0, n, scratch, 3);
                    for (int k = 0; k < n; k++) {
                        w[3 * cell + slots[k]] = scratch[3 + k];
                    }
                }
                r[i * nb + j] = theta[cell] + minimum;
            }
        }
        tape.values[b] = r[(na - 1) * nb + nb - 1];

        // Gradient: e[last] = 1; e[i][j] = Σ over children c of w[c][slot] e[c].
        double[] e = tape.alignment;
        for (int i = na - 1; i >= 0; i--) {
            for (int j = nb - 1; j >= 0; j--) {
                int cell = shape.offset(b, i, j);
                if (i == na - 1 && j == nb - 1) {
                    e[cell] = 1.0;
                    continue;
                }
                double sum = 0;
                if (j + 1 < nb) {
                    int child = shape.offset(b, i, j + 1);
                    sum += w[3 * child + LEFT] * e[child];
                }
                if (i + 1 < na && j + 1 < nb) {
                    int child = shape.offset(b, i + 1, j + 1);
                    sum += w[3 * child + DIAGONAL] * e[child];
                }
                if (i + 1 < na) {
                    int child = shape.offset(b, i + 1, j);
                    sum += w[3 * child + UP] * e[child];
                }
                e[cell] = sum;
            }
        }
    }

    /** The Hessian of the value applied to {@code direction} (shaped like theta). */
    public HessianProduct hessianProduct(Tape tape, double[] direction) {
        GridBatch shape = tape.shape;
        shape.checkCosts("direction", direction);
        double[] product = new double[shape.size()];
        double[] directional = new double[shape.batch()];
        Parallel.forRange(shape.batch(), (long) shape.maxA() * shape.maxB(), MIN_CELLS_PER_CHUNK, (from, to) -> {
            double[] rdot = new double[shape.maxA() * shape.maxB()];
            double[] weightDots = new double[3 * shape.maxA() * shape.maxB()];
            double[] scratch = new double[9];
            for (int b = from; b < to; b++) {
                directional[b] = hessianProductGrid(tape, direction, product, b, rdot, weightDots, scratch);
            }
        });
        return new HessianProduct(product, directional);
    }

    private double hessianProductGrid(Tape tape, double[] z, double[] out, int b, double[] rdot,
                                      double[] weightDots, double[] scratch) {
        GridBatch shape = tape.shape;
        int na = shape.lengthA(b);
        int nb = shape.lengthB(b);
        int[] slots = new int[3];
        double[] w = tape.weights;
        double[] e = tape.alignment;
        Arrays.fill(weightDots, 0, 3 * na * nb, 0.0);
        // Forward: rdot = Z + Σ w·rdot(neighbours); wdot = -J(w) rdot(neighbours) (minus: a min).
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                int cell = shape.offset(b, i, j);
                int local = i * nb + j;
                int n = neighbours(rdot, nb, i, j, 1.0, scratch, slots);
                double sum = z[cell];
                for (int k = 0; k < n; k++) {
                    double wk = w[3 * cell + slots[k]];
                    scratch[3 + k] = wk;
                    sum += wk * scratch[k];
                }
                rdot[local] = sum;
                if (n > 0) {
                    max.hessianProduct(scratch, 3, scratch, 0, n, scratch, 6);
                    for (int k = 0; k < n; k++) {
                        weightDots[3 * local + slots[k]] = -scratch[6 + k];
                    }
                }
            }
        }
        // Backward: edot[last] = 0; edot = Σ over children c of wdot[c][slot] e[c] + w[c][slot] edot[c].
        for (int i = na - 1; i >= 0; i--) {
            for (int j = nb - 1; j >= 0; j--) {
                int cell = shape.offset(b, i, j);
                double sum = 0;
                if (j + 1 < nb) {
                    sum += childTerm(shape.offset(b, i, j + 1), i * nb + j + 1, LEFT, w, weightDots, e, out);
                }
                if (i + 1 < na && j + 1 < nb) {
                    sum += childTerm(shape.offset(b, i + 1, j + 1), (i + 1) * nb + j + 1, DIAGONAL, w,
                            weightDots, e, out);
                }
                if (i + 1 < na) {
                    sum += childTerm(shape.offset(b, i + 1, j), (i + 1) * nb + j, UP, w, weightDots, e, out);
                }
                out[cell] = sum;
            }
        }
        return rdot[na * nb - 1];
    }

    private static double childTerm(int child, int childLocal, int slot, double[] w, double[] weightDots,
                                    double[] e, double[] edot) {
        return weightDots[3 * childLocal + slot] * e[child] + w[3 * child + slot] * edot[child];
    }
}

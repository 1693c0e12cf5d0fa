package org.nmt4j.attention.dp;

import java.util.Arrays;

/**
 * The smoothed Viterbi {@code Vit_Ω} of Mensch &amp; Blondel (ICML 2018) on a batch of linear chains of
 * different lengths: value, gradient (the expected transitions E) and Hessian-vector product.
 *
 * <p>{@code theta[b][t][i][j]} is the potential of being in state i at step t coming from state j at
 * step t-1. Step 0 has S virtual predecessors of value 0; the value ends with a max over the last
 * step's states. Each chain runs on its own length: padding never enters the value and gets
 * gradient and HVP exactly 0.
 */
public final class LinearChainViterbi {

    private static final long MIN_CELLS_PER_CHUNK = 4096;

    private final SmoothedMax max;

    public LinearChainViterbi(SmoothedMax max) {
        this.max = max;
    }

    public SmoothedMax operator() {
        return max;
    }

    /** The forward recursion and the gradient pass, stored for a later {@link #hessianProduct}. */
    public static final class Tape {
        private final ChainBatch shape;
        private final double[] values;
        private final double[] localArgmax;
        private final double[] terminal;
        private final double[] marginals;
        private final double[] nodeMarginals;

        private Tape(ChainBatch shape) {
            this.shape = shape;
            int s = shape.states();
            this.values = new double[shape.batch()];
            this.localArgmax = new double[shape.size()];
            this.terminal = new double[shape.batch() * s];
            this.marginals = new double[shape.size()];
            this.nodeMarginals = new double[shape.batch() * shape.maxLength() * s];
        }

        public ChainBatch shape() {
            return shape;
        }

        /** {@code Vit_Ω(theta_b)} for each chain b. */
        public double[] values() {
            return values;
        }

        /** The gradient E, shaped like theta: expected transitions {@code E[b][t][i][j]}. */
        public double[] marginals() {
            return marginals;
        }

        /** Node marginals {@code u[b][t][i] = Σ_j E[b][t][i][j]}, flat {@code [batch][maxLength][S]}. */
        public double[] nodeMarginals() {
            return nodeMarginals;
        }
    }

    /** Runs the forward recursion and the backward (gradient) pass on every chain. */
    public Tape forward(double[] theta, ChainBatch shape) {
        shape.checkPotentials("theta", theta);
        Tape tape = new Tape(shape);
        int s = shape.states();
        Parallel.forRange(shape.batch(), (long) shape.maxLength() * s * s, MIN_CELLS_PER_CHUNK, (from, to) -> {
            double[] previous = new double[s];
            double[] current = new double[s];
            double[] scratch = new double[s];
            for (int b = from; b < to; b++) {
                forwardChain(theta, tape, b, previous, current, scratch);
            }
        });
        return tape;
    }

    private void forwardChain(double[] theta, Tape tape, int b, double[] previous, double[] current,
                              double[] scratch) {
        ChainBatch shape = tape.shape;
        int s = shape.states();
        int length = shape.length(b);
        double[] q = tape.localArgmax;
        Arrays.fill(previous, 0.0);
        for (int t = 0; t < length; t++) {
            int base = shape.offset(b, t);
            for (int i = 0; i < s; i++) {
                int row = base + i * s;
                for (int j = 0; j < s; j++) {
                    scratch[j] = theta[row + j] + previous[j];
                }
                current[i] = max.max(scratch, 0, s, q, row);
            }
            double[] swap = previous;
            previous = current;
            current = swap;
        }
        tape.values[b] = max.max(previous, 0, s, tape.terminal, b * s);

        // Gradient: u_{T-1} = q_end; E[t,i,j] = Q[t,i,j] u_t[i]; u_{t-1}[j] = Σ_i E[t,i,j].
        double[] e = tape.marginals;
        double[] u = tape.nodeMarginals;
        int nodeBase = b * shape.maxLength() * s;
        System.arraycopy(tape.terminal, b * s, u, nodeBase + (length - 1) * s, s);
        for (int t = length - 1; t >= 0; t--) {
            int base = shape.offset(b, t);
            int node = nodeBase + t * s;
            for (int i = 0; i < s; i++) {
                double ui = u[node + i];
                int row = base + i * s;
                for (int j = 0; j < s; j++) {
                    double eij = q[row + j] * ui;
                    e[row + j] = eij;
                    if (t > 0) {
                        u[node - s + j] += eij;
                    }
                }
            }
        }
    }

    /**
     * The Hessian of the value applied to {@code direction} (shaped like theta). Since the Hessian is
     * symmetric, this is also the vector-Jacobian product of {@code theta -> E} with cotangent
     * {@code direction}: the backward pass of anything built on the marginals.
     */
    public HessianProduct hessianProduct(Tape tape, double[] direction) {
        ChainBatch shape = tape.shape;
        shape.checkPotentials("direction", direction);
        double[] product = new double[shape.size()];
        double[] directional = new double[shape.batch()];
        int s = shape.states();
        Parallel.forRange(shape.batch(), (long) shape.maxLength() * s * s, MIN_CELLS_PER_CHUNK, (from, to) -> {
            double[] scratch = new double[3 * s];
            for (int b = from; b < to; b++) {
                directional[b] = hessianProductChain(tape, direction, product, b, scratch);
            }
        });
        return new HessianProduct(product, directional);
    }

    private double hessianProductChain(Tape tape, double[] z, double[] out, int b, double[] scratch) {
        ChainBatch shape = tape.shape;
        int s = shape.states();
        int length = shape.length(b);
        double[] q = tape.localArgmax;
        double[] u = tape.nodeMarginals;
        int nodeBase = b * shape.maxLength() * s;
        // scratch = [vdot_{t-1} | vdot_t | m]; out temporarily holds Qdot.
        int prev = 0;
        int cur = s;
        int m = 2 * s;
        Arrays.fill(scratch, 0, s, 0.0);
        for (int t = 0; t < length; t++) {
            int base = shape.offset(b, t);
            for (int i = 0; i < s; i++) {
                int row = base + i * s;
                double dot = 0;
                for (int j = 0; j < s; j++) {
                    double mj = z[row + j] + scratch[prev + j];
                    scratch[m + j] = mj;
                    dot += q[row + j] * mj;
                }
                scratch[cur + i] = dot;
                max.hessianProduct(q, row, scratch, m, s, out, row);
            }
            int swap = prev;
            prev = cur;
            cur = swap;
        }
        // Terminal step: <grad, Z> = <q_end, vdot_{T-1}>; udot_{T-1} = J(q_end) vdot_{T-1}.
        double directional = 0;
        for (int i = 0; i < s; i++) {
            directional += tape.terminal[b * s + i] * scratch[prev + i];
        }
        int udot = cur;
        max.hessianProduct(tape.terminal, b * s, scratch, prev, s, scratch, udot);
        int udotPrev = m;
        for (int t = length - 1; t >= 0; t--) {
            int base = shape.offset(b, t);
            int node = nodeBase + t * s;
            Arrays.fill(scratch, udotPrev, udotPrev + s, 0.0);
            for (int i = 0; i < s; i++) {
                double ui = u[node + i];
                double udi = scratch[udot + i];
                int row = base + i * s;
                for (int j = 0; j < s; j++) {
                    double edot = out[row + j] * ui + q[row + j] * udi;
                    out[row + j] = edot;
                    scratch[udotPrev + j] += edot;
                }
            }
            int swap = udot;
            udot = udotPrev;
            udotPrev = swap;
        }
        return directional;
    }
}

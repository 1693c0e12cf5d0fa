package org.nmt4j.attention.dp;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * {@code Vit_Ω} specialised to the 2-state chains of structured attention, whose potentials are a per-position
 * score on state 1 plus a shared 2×2 transition matrix A:
 * {@code theta[t][1][j] = s_t + A[1][j]}, {@code theta[t][0][j] = A[0][j]} for t ≥ 1 and
 * {@code theta[0][i][j] = s_0 [i = 1]}. It computes exactly what {@link LinearChainViterbi} computes on those
 * potentials, without materialising them: the node marginals of state 1 and, for a cotangent on those
 * marginals, the Hessian-vector product reduced to gradients for the scores and for A. It stores two local
 * weights and two node marginals per position and allocates nothing per position.
 */
public final class TwoStateChain {

    private final SmoothedMax max;

    public TwoStateChain(SmoothedMax max) {
        this.max = max;
    }

    /** The forward recursion and the marginals of a batch of rows, kept for {@link #backward}. */
    public static final class Tape {
        private final int rows;
        private final int width;
        private final int[] lengths;
        private final double[] transitions;
        /** Per position: weight of previous state 0 when in state 0, then when in state 1. */
        private final double[] localWeights;
        /** Per position: node marginals of state 0 and state 1. */
        private final double[] nodes;
        private final double[] terminal;

        private Tape(int rows, int width, int[] lengths, double[] transitions) {
            this.rows = rows;
            this.width = width;
            this.lengths = lengths;
            this.transitions = transitions.clone();
            this.localWeights = new double[rows * width * 2];
            this.nodes = new double[rows * width * 2];
            this.terminal = new double[rows];
        }

        /** Node marginal of the attended state at position t of a row (0 on padding). */
        public double attended(int row, int t) {
            return nodes[(row * width + t) * 2 + 1];
        }
    }

    /**
     * Runs the chains of {@code rows} rows of {@code scores} (flat {@code [rows][width]}, row r using its first
     * {@code lengths[r]} entries, all finite, every length in [1, width]) with transitions
     * {@code A[i][j] = transitions[2i + j]}.
     */
    public Tape forward(double[] scores, int rows, int width, int[] lengths, double[] transitions) {
        Tape tape = new Tape(rows, width, lengths, transitions);
        Parallel.forRange(rows, 4L * width, 4096, (from, to) -> {
            for (int r = from; r < to; r++) {
                forwardRow(scores, tape, r);
            }
        });
        return tape;
    }

    private void forwardRow(double[] scores, Tape tape, int r) {
        double[] a = tape.transitions;
        double[] q = tape.localWeights;
        double[] u = tape.nodes;
        int length = tape.lengths[r];
        int base = r * tape.width;
        // Step 0: S virtual predecessors of value 0, potentials constant over them.
        double s0 = scores[base];
        double v0 = max.max2(0, 0, q, 2 * base);
        double v1 = max.max2(s0, s0, q, 2 * base + 1);
        for (int t = 1; t < length; t++) {
            int p = 2 * (base + t);
            double n0 = max.max2(a[0] + v0, a[1] + v1, q, p);
            double n1 = scores[base + t] + max.max2(a[2] + v0, a[3] + v1, q, p + 1);
            v0 = n0;
            v1 = n1;
        }
        max.max2(v0, v1, tape.terminal, r);
        // Marginals: u_{T-1} = q_end; u_{t-1}[j] = Σ_i Q[t][i][j] u_t[i].
        double u0 = tape.terminal[r];
        double u1 = 1.0 - u0;
        for (int t = length - 1; t >= 0; t--) {
            int p = 2 * (base + t);
            u[p] = u0;
            u[p + 1] = u1;
            double q00 = q[p];
            double q10 = q[p + 1];
            double previous0 = q00 * u0 + q10 * u1;
            u1 = (1 - q00) * u0 + (1 - q10) * u1;
            u0 = previous0;
        }
    }

    /**
     * Back-propagates a cotangent {@code dL/da} on the attended marginals (flat {@code [rows][width]}, padding
     * ignored) through the chain's Hessian: writes {@code dL/ds} into {@code scoreGradient} (zero on padding) and
     * adds {@code dL/dA} into {@code transitionGradient}.
     */
    public void backward(Tape tape, double[] marginalGradient, double[] scoreGradient, double[] transitionGradient) {
        // Per-chunk partial sums, added in chunk order so the result does not depend on thread timing.
        TreeMap<Integer, double[]> partial = new TreeMap<>();
        Parallel.forRange(tape.rows, 4L * tape.width, 4096, (from, to) -> {
            double[] qdot = new double[2 * tape.width];
            double[] sums = new double[4];
            for (int r = from; r < to; r++) {
                backwardRow(tape, marginalGradient, scoreGradient, sums, qdot, r);
            }
            synchronized (partial) {
                partial.put(from, sums);
            }
        });
        for (double[] sums : partial.values()) {
            for (int k = 0; k < 4; k++) {
                transitionGradient[k] += sums[k];
            }
        }
    }

    private void backwardRow(Tape tape, double[] g, double[] scoreGradient, double[] sums, double[] qdot, int r) {
        double[] q = tape.localWeights;
        double[] u = tape.nodes;
        int length = tape.lengths[r];
        int base = r * tape.width;
        // Forward tangent: vdot_t[0] = <Q[t][0], vdot_{t-1}>, vdot_t[1] = g_t + <Q[t][1], vdot_{t-1}>;
        // Qdot[t][i] = c(Q[t][i]) (vdot_{t-1}[0] - vdot_{t-1}[1]) (1, -1), stored as its first entry.
        double vd0 = 0;
        double vd1 = 0;
        for (int t = 0; t < length; t++) {
            int p = 2 * (base + t);
            double q00 = q[p];
            double q10 = q[p + 1];
            double diff = vd0 - vd1;
            qdot[2 * t] = max.curvature2(q00) * diff;
            qdot[2 * t + 1] = max.curvature2(q10) * diff;
            double n0 = q00 * vd0 + (1 - q00) * vd1;
            double n1 = g[base + t] + q10 * vd0 + (1 - q10) * vd1;
            vd0 = n0;
            vd1 = n1;
        }
        double endDot = max.curvature2(tape.terminal[r]) * (vd0 - vd1);
        double ud0 = endDot;
        double ud1 = -endDot;
        // Reverse: Edot[t][i][j] = Qdot[t][i][j] u_t[i] + Q[t][i][j] udot_t[i]; udot_{t-1}[j] = Σ_i Edot[t][i][j].
        for (int t = length - 1; t >= 0; t--) {
            int p = 2 * (base + t);
            double q00 = q[p];
            double q10 = q[p + 1];
            double u0 = u[p];
            double u1 = u[p + 1];
            double e00 = qdot[2 * t] * u0 + q00 * ud0;
            double e01 = -qdot[2 * t] * u0 + (1 - q00) * ud0;
            double e10 = qdot[2 * t + 1] * u1 + q10 * ud1;
            double e11 = -qdot[2 * t + 1] * u1 + (1 - q10) * ud1;
            scoreGradient[base + t] = e10 + e11;
            if (t > 0) {
                sums[0] += e00;
                sums[1] += e01;
                sums[2] += e10;
                sums[3] += e11;
            }
            ud0 = e00 + e10;
            ud1 = e01 + e11;
        }
        Arrays.fill(scoreGradient, base + length, base + tape.width, 0.0);
    }
}

package org.nmt4j.attention.dp;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * {@code Vit_Ω} specialised to the 2-state chains of structured attention, whose potentials are a per-position
 * score on state 1 plus a shared 2×2 transition matrix A:
 * {@code theta[t][1][j] = s_t + A[1][j]}, {@code theta[t][0][j] = A[0][j]} for t ≥ 1 and
 * {@code theta[0][i][j] = s_0 [i = 1]}. It computes exactly what {@link LinearChainViterbi} computes on those
 * potentials, without materialising them: the node marginals of state 1 and, for a cotangent on those
 * marginals, the Hessian-vector product reduced to gradients for the scores and for A.
 *
 * <p>The forward only needs the difference {@code w_t = v_t[1] - v_t[0]} of the two states' values (every
 * {@code max_Ω} commutes with adding a constant), which stays bounded on long chains. With negentropy it runs
 * in probability space ({@link ProbabilityRecursion}: one {@code exp}, no {@code log} and no division on the
 * dependency chain per position) on the rows whose scores are in that recursion's range, with squared L2 in units
 * of γ without a division or a branch on that chain ({@link SquaredL2Recursion}), and otherwise (rows out of
 * range, the hard max) in log space with the operator's two-entry max. It stores two local weights and the
 * attended marginal per position and allocates nothing per position.
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
        /** Per position: weight of previous state 0 when in state 0, then when in state 1. */
        private final double[] localWeights;
        /** Per position: node marginal of state 1 (that of state 0 is one minus it); 0 on padding. */
        private final double[] attended;
        /** Per row: weight of state 0 in the terminal max. */
        private final double[] terminal;

        private Tape(int rows, int width, int[] lengths) {
            this.rows = rows;
            this.width = width;
            this.lengths = lengths;
            this.localWeights = new double[rows * width * 2];
            this.attended = new double[rows * width];
            this.terminal = new double[rows];
        }

        /** Node marginal of the attended state at position t of a row (0 on padding). */
        public double attended(int row, int t) {
            return attended[row * width + t];
        }

        /**
         * All attended marginals, flat {@code [rows][width]}, 0 on padding: the tape's own array, which
         * {@link #backward} reads, so it must not be modified.
         */
        public double[] attendedMarginals() {
            return attended;
        }
    }

    /**
     * Runs the chains of {@code rows} rows of {@code scores} (flat {@code [rows][width]}, row r using its first
     * {@code lengths[r]} entries, all finite, every length in [1, width]) with transitions
     * {@code A[i][j] = transitions[2i + j]}.
     */
    public Tape forward(double[] scores, int rows, int width, int[] lengths, double[] transitions) {
        Tape tape = new Tape(rows, width, lengths);
        double[] a = transitions.clone();
        ProbabilityRecursion probability =
                max instanceof NegentropyMax ? new ProbabilityRecursion(a, max.gamma()) : null;
        SquaredL2Recursion l2 = max instanceof SquaredL2Max ? new SquaredL2Recursion(a, max.gamma()) : null;
        double[] q = tape.localWeights;
        Parallel.forRange(rows, 4L * width, 4096, (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * width;
                int length = lengths[r];
                if (l2 != null) {
                    l2.run(scores, base, length, q, tape.terminal, r);
                } else if (probability == null || !probability.run(scores, base, length, q, tape.terminal, r)) {
                    logSpace(scores, base, length, a, q, tape.terminal, r);
                }
                marginals(tape, r);
            }
        });
        return tape;
    }

    /**
     * The recursion in log space on {@code w_t = v_t[1] - v_t[0]}: {@code w_0 = s_0},
     * {@code w_t = s_t + max_Ω(A10, A11 + w_{t-1}) - max_Ω(A00, A01 + w_{t-1})}; writes the local weights of
     * the row at {@code base} into q and its terminal weight of state 0 ({@code max_Ω(0, w_{T-1})}) into
     * {@code terminal[r]}.
     */
    private void logSpace(double[] scores, int base, int length, double[] a, double[] q, double[] terminal, int r) {
        // Step 0: S virtual predecessors of value 0, potentials constant over them: a tie.
        int p0 = 2 * base;
        max.max2(0, 0, q, p0);
        q[p0 + 1] = q[p0];
        double w = scores[base];
        for (int t = 1; t < length; t++) {
            int p = 2 * (base + t);
            double n0 = max.max2(a[0], a[1] + w, q, p);
            double n1 = max.max2(a[2], a[3] + w, q, p + 1);
            w = scores[base + t] + (n1 - n0);
        }
        max.max2(0, w, terminal, r);
    }

    /** Node marginals, backwards: {@code u_{T-1} = q_end}; {@code u_{t-1}[j] = Σ_i Q[t][i][j] u_t[i]}. */
    private static void marginals(Tape tape, int r) {
        double[] q = tape.localWeights;
        double[] attended = tape.attended;
        int base = r * tape.width;
        double u0 = tape.terminal[r];
        double u1 = 1.0 - u0;
        for (int t = tape.lengths[r] - 1; t >= 0; t--) {
            int p = 2 * (base + t);
            attended[base + t] = u1;
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
            double[] tangent = new double[tape.width];
            double[] sums = new double[4];
            for (int r = from; r < to; r++) {
                backwardRow(tape, marginalGradient, scoreGradient, sums, tangent, r);
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

    private void backwardRow(Tape tape, double[] g, double[] scoreGradient, double[] sums, double[] tangent, int r) {
        double[] q = tape.localWeights;
        double[] attended = tape.attended;
        int length = tape.lengths[r];
        int base = r * tape.width;
        // Forward tangent: vdot_t[0] = <Q[t][0], vdot_{t-1}>, vdot_t[1] = g_t + <Q[t][1], vdot_{t-1}>;
        // Qdot[t][i] = c(Q[t][i]) (vdot_{t-1}[0] - vdot_{t-1}[1]) (1, -1): the difference is kept per position.
        double vd0 = 0;
        double vd1 = 0;
        for (int t = 0; t < length; t++) {
            int p = 2 * (base + t);
            double diff = vd0 - vd1;
            tangent[t] = diff;
            vd0 = vd1 + q[p] * diff;
            vd1 = g[base + t] + vd1 + q[p + 1] * diff;
        }
        double endDot = max.curvature2(tape.terminal[r]) * (vd0 - vd1);
        double ud0 = endDot;
        double ud1 = -endDot;
        // Reverse: Edot[t][i][j] = Qdot[t][i][j] u_t[i] + Q[t][i][j] udot_t[i]; udot_{t-1}[j] = Σ_i Edot[t][i][j];
        // dL/ds_t = Σ_j Edot[t][1][j] = udot_t[1].
        for (int t = length - 1; t >= 0; t--) {
            int p = 2 * (base + t);
            double q00 = q[p];
            double q10 = q[p + 1];
            double u1 = attended[base + t];
            double k0 = max.curvature2(q00) * tangent[t] * (1 - u1);
            double k1 = max.curvature2(q10) * tangent[t] * u1;
            double e00 = k0 + q00 * ud0;
            double e01 = (1 - q00) * ud0 - k0;
            double e10 = k1 + q10 * ud1;
            double e11 = (1 - q10) * ud1 - k1;
            scoreGradient[base + t] = ud1;
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

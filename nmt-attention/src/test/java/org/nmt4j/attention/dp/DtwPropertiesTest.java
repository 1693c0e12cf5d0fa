package org.nmt4j.attention.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Brute force over all monotone alignments, finite differences and batching for {@link SmoothedDtw}. */
class DtwPropertiesTest {

    private static double[] random(Random rng, int n) {
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = rng.nextDouble() * 2;
        }
        return x;
    }

    /** Every monotone path from (0,0) to (na-1,nb-1) with right, diagonal and down steps, as cell lists. */
    private static List<int[]> paths(int na, int nb) {
        List<int[]> out = new ArrayList<>();
        extend(0, 0, na, nb, new ArrayList<>(List.of(0)), out);
        return out;
    }

    private static void extend(int i, int j, int na, int nb, List<Integer> cells, List<int[]> out) {
        if (i == na - 1 && j == nb - 1) {
            out.add(cells.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        int[][] moves = {{0, 1}, {1, 1}, {1, 0}};
        for (int[] move : moves) {
            int ni = i + move[0];
            int nj = j + move[1];
            if (ni < na && nj < nb) {
                cells.add(ni * nb + nj);
                extend(ni, nj, na, nb, cells, out);
                cells.remove(cells.size() - 1);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1", "1,4", "3,3", "4,5", "2,6"})
    void negentropyIsSoftMinOverPathsAndHardIsBestPath(int na, int nb) {
        Random rng = new Random(na * 10L + nb);
        double[] theta = random(rng, na * nb);
        double gamma = 0.6;
        List<int[]> all = paths(na, nb);
        double best = Double.POSITIVE_INFINITY;
        double[] costs = new double[all.size()];
        for (int p = 0; p < all.size(); p++) {
            for (int cell : all.get(p)) {
                costs[p] += theta[cell];
            }
            best = Math.min(best, costs[p]);
        }
        double sum = 0;
        for (double c : costs) {
            sum += Math.exp(-(c - best) / gamma);
        }
        double softMin = best - gamma * Math.log(sum);
        double[] expectedAlignment = new double[theta.length];
        for (int p = 0; p < all.size(); p++) {
            double weight = Math.exp(-(costs[p] - best) / gamma) / sum;
            for (int cell : all.get(p)) {
                expectedAlignment[cell] += weight;
            }
        }
        SmoothedDtw.Tape soft = new SmoothedDtw(new NegentropyMax(gamma)).forward(theta, GridBatch.single(na, nb));
        assertEquals(softMin, soft.values()[0], 1e-10);
        FiniteDifferences.assertAllClose(expectedAlignment, soft.alignment(), 1e-12, 1e-10, "alignment");
        SmoothedDtw.Tape hard = new SmoothedDtw(new HardMax(HardMax.Ties.FIRST)).forward(theta, GridBatch.single(na, nb));
        assertEquals(best, hard.values()[0], 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"negentropy,1.0,1,3", "negentropy,0.5,4,5", "l2,1.0,4,4", "l2,0.3,3,6", "negentropy,2.0,6,2"})
    void gradientAndHessianMatchFiniteDifferences(String reg, double gamma, int na, int nb) {
        Random rng = new Random(reg.hashCode() + 7L * na + nb);
        SmoothedDtw dtw = new SmoothedDtw(SmoothedMax.of(Regularizer.parse(reg), gamma));
        GridBatch shape = GridBatch.single(na, nb);
        for (int trial = 0; trial < 5; trial++) {
            double[] theta = random(rng, na * nb);
            double[] direction = random(rng, na * nb);
            SmoothedDtw.Tape tape = dtw.forward(theta, shape);
            double[] numericGrad = FiniteDifferences.gradient(th -> dtw.forward(th, shape).values()[0], theta, 1e-6);
            FiniteDifferences.assertAllClose(numericGrad, tape.alignment(), 1e-7, 1e-6, reg + " gradient");
            double[] numericHvp = FiniteDifferences.directional(th -> dtw.forward(th, shape).alignment(),
                    theta, direction, 1e-6);
            FiniteDifferences.assertAllClose(numericHvp, dtw.hessianProduct(tape, direction).product(),
                    1e-6, 1e-5, reg + " hvp");
        }
    }

    @Test
    void batchOfMixedSizesEqualsPerGridResults() {
        Random rng = new Random(3);
        int[] la = {4, 1, 3, 2};
        int[] lb = {2, 4, 4, 1};
        GridBatch shape = new GridBatch(4, 4, 4, la, lb);
        for (Regularizer reg : Regularizer.values()) {
            SmoothedDtw dtw = new SmoothedDtw(SmoothedMax.of(reg, 0.7));
            double[] theta = random(rng, shape.size());
            double[] direction = random(rng, shape.size());
            SmoothedDtw.Tape tape = dtw.forward(theta, shape);
            HessianProduct hvp = dtw.hessianProduct(tape, direction);
            for (int b = 0; b < 4; b++) {
                double[] own = new double[la[b] * lb[b]];
                double[] ownDirection = new double[own.length];
                for (int i = 0; i < la[b]; i++) {
                    for (int j = 0; j < lb[b]; j++) {
                        own[i * lb[b] + j] = theta[(b * 4 + i) * 4 + j];
                        ownDirection[i * lb[b] + j] = direction[(b * 4 + i) * 4 + j];
                    }
                }
                SmoothedDtw.Tape single = dtw.forward(own, GridBatch.single(la[b], lb[b]));
                HessianProduct singleHvp = dtw.hessianProduct(single, ownDirection);
                assertEquals(single.values()[0], tape.values()[b], 0.0);
                assertEquals(singleHvp.directional()[0], hvp.directional()[b], 0.0);
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        boolean inside = i < la[b] && j < lb[b];
                        int k = (b * 4 + i) * 4 + j;
                        assertEquals(inside ? single.alignment()[i * lb[b] + j] : 0.0, tape.alignment()[k], 0.0);
                        assertEquals(inside ? singleHvp.product()[i * lb[b] + j] : 0.0, hvp.product()[k], 0.0);
                    }
                }
            }
        }
    }

    @Test
    void badInputIsRejected() {
        SmoothedDtw dtw = new SmoothedDtw(new NegentropyMax(1.0));
        double[] theta = new double[6];
        theta[4] = Double.NEGATIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> dtw.forward(theta, GridBatch.single(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new GridBatch(1, 2, 3, new int[] {0}, new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> dtw.forward(Arrays.copyOf(theta, 5), GridBatch.single(2, 3)));
    }
}

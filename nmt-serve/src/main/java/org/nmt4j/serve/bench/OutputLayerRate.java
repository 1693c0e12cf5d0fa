package org.nmt4j.serve.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nmt4j.core.model.NativeThreads;

/**
 * The arithmetic floor of decoding: how fast this machine computes a decoder step's output layer, the float product
 * {@code [rows, hidden] × [hidden, V]} that every step of greedy and beam search needs for every hypothesis. It runs
 * the product with one BLAS thread per call, as {@code nmt translate} does, into a result array allocated once (the
 * best case: a search allocates its logits every step), first on one thread, then on {@code threads} threads at
 * once (each its own product, like the search threads), and prints GFLOPS. Dividing a test set's output-layer work
 * ({@code 2 · rows · hidden · V} floating-point operations, rows = hypotheses scored over all steps) by the best
 * rate gives a time no exact float32 search with ND4J's OpenBLAS can beat on this machine.
 * Arguments: {@code [hidden=256] [vocab=8000] [rows=64] [threads=cores] [seconds=5]}.
 */
public final class OutputLayerRate {

    private OutputLayerRate() {
    }

    public static void main(String[] args) throws Exception {
        int hidden = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int vocab = args.length > 1 ? Integer.parseInt(args[1]) : 8000;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 5;
        NativeThreads.ONE_PER_CALL.apply();
        INDArray weights = Nd4j.rand(DataType.FLOAT, hidden, vocab);
        double flops = 2.0 * rows * hidden * vocab;
        for (int running : threads > 1 ? new int[] {1, threads} : new int[] {1}) {
            ExecutorService pool = Executors.newFixedThreadPool(running);
            try {
                List<Future<Double>> rates = new ArrayList<>();
                for (int t = 0; t < running; t++) {
                    rates.add(pool.submit(() -> productsPerSecond(weights, rows, seconds)));
                }
                double total = 0;
                for (Future<Double> rate : rates) {
                    total += rate.get();
                }
                System.out.printf(Locale.ROOT, "%d thread(s), [%d, %d] x [%d, %d]: %.1f GFLOPS in all, %.3f ms per "
                        + "product and thread%n", running, rows, hidden, hidden, vocab, total * flops / 1e9,
                        1e3 * running / total);
            } finally {
                pool.shutdown();
            }
        }
    }

    /** Multiplies random states by {@code weights} for a second of warm-up, then for {@code seconds}: products/s. */
    private static double productsPerSecond(INDArray weights, int rows, double seconds) {
        INDArray states = Nd4j.rand(DataType.FLOAT, rows, weights.rows());
        INDArray logits = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, weights.columns()}, 'c');
        long warmUpEnd = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warmUpEnd) {
            Nd4j.gemm(states, weights, logits, false, false, 1.0, 0.0);
        }
        long count = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now = start;
        while (now < end) {
            Nd4j.gemm(states, weights, logits, false, false, 1.0, 0.0);
            count++;
            now = System.nanoTime();
        }
        return count / ((now - start) / 1e9);
    }
}

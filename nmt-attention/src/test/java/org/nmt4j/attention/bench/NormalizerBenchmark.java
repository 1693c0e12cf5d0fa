package org.nmt4j.attention.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nmt4j.attention.AttentionNormalizer;
import org.nmt4j.attention.AttentionScores;
import org.nmt4j.attention.Normalizers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward + backward of each attention normalizer on a batch shaped like training: 64 sentences x 40
 * target steps = 2560 rows over 40 source positions (for the structured ones: 2560 chains of T = 40, S = 2).
 * Run: see nmt-attention/README.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class NormalizerBenchmark {

    static final int SENTENCES = 64;
    static final int TARGET_STEPS = 40;
    static final int SOURCE_LENGTH = 40;

    @Param({"softmax", "sparsemax", "struct-entropy", "struct-l2"})
    public String normalizer;

    private AttentionNormalizer attention;
    private AttentionScores scores;
    private double[] parameters;
    private double[] upstream;
    private double[] scoreGradient;
    private double[] parameterGradient;

    @Setup
    public void setUp() {
        Random rng = new Random(42);
        int rows = SENTENCES * TARGET_STEPS;
        double[] values = new double[rows * SOURCE_LENGTH];
        upstream = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            values[k] = 2 * rng.nextGaussian();
            upstream[k] = rng.nextGaussian();
        }
        int[] lengths = new int[rows];
        java.util.Arrays.fill(lengths, SOURCE_LENGTH);
        scores = new AttentionScores(values, rows, SOURCE_LENGTH, lengths);
        attention = Normalizers.create(normalizer);
        parameters = attention.initialParameters();
        for (int k = 0; k < parameters.length; k++) {
            parameters[k] = 0.3 * rng.nextGaussian();
        }
        scoreGradient = new double[values.length];
        parameterGradient = new double[parameters.length];
    }

    @Benchmark
    public double[] forwardBackward() {
        AttentionNormalizer.Forward forward = attention.forward(scores, parameters);
        forward.backward(upstream, scoreGradient, parameterGradient);
        return scoreGradient;
    }
}

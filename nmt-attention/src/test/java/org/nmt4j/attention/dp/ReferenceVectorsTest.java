package org.nmt4j.attention.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code dp-reference.json} (the authors' NumPy reference, copied from the shared test
 * vectors): value, gradient, directional derivative and HVP for every regularizer and γ.
 */
class ReferenceVectorsTest {

    private static JsonNode cases() throws IOException {
        try (InputStream in = ReferenceVectorsTest.class.getResourceAsStream("/dp-reference.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            assertEquals("dp-testvectors/1", root.get("schema").asText());
            return root.get("cases");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        int[] kinds = new int[3];
        for (JsonNode c : cases()) {
            for (JsonNode result : c.get("results")) {
                String name = c.get("id").asText() + " " + result.get("reg").asText() + " gamma="
                        + result.get("gamma").asText();
                switch (c.get("kind").asText()) {
                    case "max_omega":
                        kinds[0]++;
                        tests.add(DynamicTest.dynamicTest(name, () -> checkMax(c, result)));
                        break;
                    case "viterbi":
                        kinds[1]++;
                        tests.add(DynamicTest.dynamicTest(name, () -> checkViterbi(c, result)));
                        break;
                    case "dtw":
                        kinds[2]++;
                        tests.add(DynamicTest.dynamicTest(name, () -> checkDtw(c, result)));
                        break;
                    default:
                        throw new AssertionError("unknown kind " + c.get("kind"));
                }
            }
        }
        // 6 max, 5 viterbi, 3 dtw cases, 7 results each.
        assertEquals(42, kinds[0]);
        assertEquals(35, kinds[1]);
        assertEquals(21, kinds[2]);
        return tests.stream();
    }

    static SmoothedMax operator(JsonNode result) {
        Regularizer reg = Regularizer.parse(result.get("reg").asText());
        return SmoothedMax.of(reg, reg == Regularizer.HARD ? 1.0 : result.get("gamma").asDouble());
    }

    static double tolerance(JsonNode result) {
        JsonNode gamma = result.get("gamma");
        return !gamma.isNull() && gamma.asDouble() < 0.5 ? 1e-8 : 1e-9;
    }

    static double[] flat(JsonNode node) {
        List<Double> out = new ArrayList<>();
        flatten(node, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node.asDouble());
        }
    }

    static void assertClose(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + " but got " + actual);
    }

    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            assertClose(expected[k], actual[k], tol, what + "[" + k + "]");
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    private static void checkMax(JsonNode c, JsonNode result) {
        SmoothedMax op = operator(result);
        double tol = tolerance(result);
        double[] x = flat(c.get("x"));
        double[] z = flat(c.get("z"));
        double[] q = new double[x.length];
        double value = op.max(x, 0, x.length, q, 0);
        double[] hvp = new double[x.length];
        op.hessianProduct(q, 0, z, 0, x.length, hvp, 0);
        assertClose(result.get("value").asDouble(), value, tol, "value");
        assertClose(flat(result.get("grad")), q, tol, "grad");
        assertClose(result.get("vdot").asDouble(), dot(q, z), tol, "vdot");
        assertClose(flat(result.get("hvp")), hvp, tol, "hvp");
        if (result.has("grad_tie_uniform")) {
            double[] uniform = new double[x.length];
            new HardMax(HardMax.Ties.UNIFORM).max(x, 0, x.length, uniform, 0);
            assertClose(flat(result.get("grad_tie_uniform")), uniform, tol, "grad_tie_uniform");
        }
    }

    private static void checkViterbi(JsonNode c, JsonNode result) {
        LinearChainViterbi viterbi = new LinearChainViterbi(operator(result));
        double tol = tolerance(result);
        ChainBatch shape = ChainBatch.single(c.get("T").asInt(), c.get("S").asInt());
        LinearChainViterbi.Tape tape = viterbi.forward(flat(c.get("theta")), shape);
        HessianProduct hvp = viterbi.hessianProduct(tape, flat(c.get("Z")));
        assertClose(result.get("value").asDouble(), tape.values()[0], tol, "value");
        assertClose(flat(result.get("grad")), tape.marginals(), tol, "grad");
        assertClose(flat(result.get("node_marginals")), tape.nodeMarginals(), tol, "node_marginals");
        assertClose(result.get("vdot").asDouble(), hvp.directional()[0], tol, "vdot");
        assertClose(flat(result.get("hvp")), hvp.product(), tol, "hvp");
    }

    private static void checkDtw(JsonNode c, JsonNode result) {
        SmoothedDtw dtw = new SmoothedDtw(operator(result));
        double tol = tolerance(result);
        GridBatch shape = GridBatch.single(c.get("NA").asInt(), c.get("NB").asInt());
        SmoothedDtw.Tape tape = dtw.forward(flat(c.get("theta")), shape);
        HessianProduct hvp = dtw.hessianProduct(tape, flat(c.get("Z")));
        assertClose(result.get("value").asDouble(), tape.values()[0], tol, "value");
        assertClose(flat(result.get("grad")), tape.alignment(), tol, "grad");
        assertClose(result.get("vdot").asDouble(), hvp.directional()[0], tol, "vdot");
        assertClose(flat(result.get("hvp")), hvp.product(), tol, "hvp");
    }
}

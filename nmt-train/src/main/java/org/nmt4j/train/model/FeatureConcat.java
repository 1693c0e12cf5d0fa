package org.nmt4j.train.model;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nmt4j.core.model.NativeFloats;

/**
 * The graph vertex of {@link FeatureConcatVertex}. For float sequences {@code [n, features_k, steps]} joined along
 * the features it writes the result in F order, where each input's block of one time step is contiguous: per time
 * step, one copy per input (and the reverse for the gradients). Anything else goes to DL4J's implementation.
 */
public class FeatureConcat extends MergeVertex {

    /** The axis joined along (DL4J's field is private). */
    private final int mergeAxis;
    /** The inputs' feature counts of the last forward pass made here, or null if DL4J's made it. */
    private long[] features;

    public FeatureConcat(ComputationGraph graph, String name, int vertexIndex, DataType dataType, int mergeAxis) {
        super(graph, name, vertexIndex, dataType, mergeAxis);
        this.mergeAxis = mergeAxis;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        features = null;
        if (!handles(inputs)) {
            return super.doForward(training, workspaceMgr);
        }
        long n = inputs[0].size(0);
        long steps = inputs[0].size(2);
        long[] counts = new long[inputs.length];
        long total = 0;
        for (int k = 0; k < inputs.length; k++) {
            counts[k] = inputs[k].size(1);
            total += counts[k];
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[] {n, total, steps}, 'f');
        FloatBuffer target = NativeFloats.memory(out);
        long offset = 0;
        for (int k = 0; k < inputs.length; k++) {
            FloatBuffer source = inFOrder(inputs[k]);
            int block = Math.toIntExact(n * counts[k]);
            for (long t = 0; t < steps; t++) {
                target.put(Math.toIntExact(t * n * total + n * offset), source, Math.toIntExact(t * block), block);
            }
            offset += counts[k];
        }
        features = counts;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (features == null) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        long n = epsilon.size(0);
        long steps = epsilon.size(2);
        long total = epsilon.size(1);
        FloatBuffer source = inFOrder(epsilon);
        INDArray[] gradients = new INDArray[features.length];
        long offset = 0;
        for (int k = 0; k < features.length; k++) {
            gradients[k] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                    new long[] {n, features[k], steps}, 'f');
            FloatBuffer target = NativeFloats.memory(gradients[k]);
            int block = Math.toIntExact(n * features[k]);
            for (long t = 0; t < steps; t++) {
                target.put(Math.toIntExact(t * block), source, Math.toIntExact(t * n * total + n * offset), block);
            }
            offset += features[k];
        }
        return new Pair<>(null, gradients);
    }

    /** The values of a float array in F order: of the array itself, or of an F-order copy. */
    private static FloatBuffer inFOrder(INDArray array) {
        return NativeFloats.inMemoryOrder(array.ordering() == 'f' ? array : array.dup('f'));
    }

    /** Whether the inputs are float sequences joined along the features, into an array Java can index. */
    private boolean handles(INDArray[] in) {
        if (mergeAxis != 1 || in.length < 2) {
            return false;
        }
        long total = 0;
        for (INDArray input : in) {
            if (input.rank() != 3 || input.dataType() != DataType.FLOAT || input.size(0) != in[0].size(0)
                    || input.size(2) != in[0].size(2)) {
                return false;
            }
            total += input.length();
        }
        return total <= Integer.MAX_VALUE;
    }
}

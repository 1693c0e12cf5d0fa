package org.nmt4j.train.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The graph vertex of {@link ReverseWithinMaskVertex}: the same function as DL4J's {@link ReverseTimeSeriesVertex}
 * (the k-th kept position of a sequence goes to its k-th kept position from the end; masked positions are 0;
 * self-inverse, so the backward pass reverses the gradient the same way), computed as one row gather.
 */
public class ReverseWithinMask extends ReverseTimeSeriesVertex {

    /** Index of the network input whose mask is used, or -1 for none. */
    private final int maskInput;

    public ReverseWithinMask(ComputationGraph graph, String name, int vertexIndex, String maskInputName,
                             DataType dataType) {
        super(graph, name, vertexIndex, maskInputName, dataType);
        this.maskInput = maskInputName == null ? -1
                : graph.getConfiguration().getNetworkInputs().indexOf(maskInputName);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return reverse(inputs[0], mask(), workspaceMgr, ArrayType.ACTIVATIONS);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        return new Pair<>(null, new INDArray[] {reverse(epsilon, mask(), workspaceMgr, ArrayType.ACTIVATION_GRAD)});
    }

    private INDArray mask() {
        INDArray[] masks = graph.getInputMaskArrays();
        return maskInput < 0 || masks == null ? null : masks[maskInput];
    }

    private static INDArray reverse(INDArray series, INDArray mask, LayerWorkspaceMgr workspaceMgr, ArrayType type) {
        INDArray out = workspaceMgr.createUninitialized(type, series.dataType(), series.shape(), 'f');
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            out.assign(reverse(series, mask));
        }
        return out;
    }

    /**
     * Reverses each sequence of {@code series [n, features, steps]} within the positions where {@code mask [n, steps]}
     * is nonzero (all positions if null); the result is 0 at the other positions.
     */
    static INDArray reverse(INDArray series, INDArray mask) {
        int n = (int) series.size(0);
        int features = (int) series.size(1);
        int steps = (int) series.size(2);
        // Row s·steps + t of the time-major matrix is position t of sequence s.
        int[] sourceRows = new int[n * steps];
        float[] kept = new float[n * steps];
        int[] positions = new int[steps];
        double[][] keep = mask == null ? null : mask.reshape(n, steps).toDoubleMatrix();
        for (int s = 0; s < n; s++) {
            int count = 0;
            for (int t = 0; t < steps; t++) {
                if (keep == null || keep[s][t] != 0) {
                    positions[count++] = t;
                }
            }
            for (int t = 0; t < steps; t++) {
                sourceRows[s * steps + t] = s * steps + t;
            }
            for (int k = 0; k < count; k++) {
                sourceRows[s * steps + positions[count - 1 - k]] = s * steps + positions[k];
                kept[s * steps + positions[count - 1 - k]] = 1;
            }
        }
        INDArray timeMajor = series.permute(0, 2, 1).dup('c').reshape(n * steps, features);
        INDArray reversed = Nd4j.pullRows(timeMajor, 1, sourceRows)
                .muliColumnVector(Nd4j.createFromArray(kept).reshape(n * steps, 1).castTo(series.dataType()));
        return reversed.reshape(n, steps, features).permute(0, 2, 1);
    }
}

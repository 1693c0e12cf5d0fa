package org.nmt4j.train.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The part of {@link BatchedLstmLayer}'s passes that goes through the time steps one by one. Matrices have
 * time-major rows ({@code t * batch + example}); the gate columns are DL4J's: candidate {@code a}, forget
 * {@code f}, output {@code o}, input {@code g}, {@code units} columns each. An implementation keeps what its
 * backward pass needs from its forward pass, until the next forward pass.
 */
interface LstmRecursion {

    /**
     * The forward recursion: {@code gates} holds {@code X W + b} of all time steps and may be overwritten; fills
     * {@code outputs} ({@code [steps * batch, units]}) with {@code h_t}, starting from a zero state.
     */
    void forward(INDArray gates, INDArray outputs, INDArray recurrentWeights, long batch, long units);

    /**
     * The backward recursion of the last forward pass: {@code outputGradients} holds the loss gradient with respect
     * to every {@code h_t} from above and may be overwritten; fills {@code gateGradients}
     * ({@code [steps * batch, 4 units]}) with the gradient with respect to the gate pre-activations.
     */
    void backward(INDArray outputGradients, INDArray gateGradients, INDArray recurrentWeights, long batch,
                  long units);

    /** Rows of time step {@code t} of a time-major matrix: a contiguous block. */
    static INDArray rowsOf(INDArray matrix, long t, long batch) {
        return matrix.get(interval(t * batch, (t + 1) * batch), all());
    }
}

package org.nmt4j.train.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Memory outside every workspace, so that what a layer writes there in its forward pass is still valid in its
 * backward pass, reused for arrays of any shape while it is large enough: a training run allocates it a few times
 * (each time a batch needs more than any earlier one), not once per batch.
 */
final class DetachedBuffer {

    private INDArray storage;

    /**
     * A C-order array of the given shape over the start of the buffer; every call with the same element count
     * returns a view of the same memory. Contents are whatever was written last (zeros when newly grown).
     */
    INDArray shaped(DataType dataType, long... shape) {
        long length = 1;
        for (long size : shape) {
            length *= size;
        }
        if (storage == null || storage.dataType() != dataType || storage.length() < length) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                storage = Nd4j.create(dataType, length);
            }
        }
        return storage.get(NDArrayIndex.interval(0, length)).reshape('c', shape);
    }
}

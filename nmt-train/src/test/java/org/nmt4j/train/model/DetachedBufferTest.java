package org.nmt4j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DetachedBufferTest {

    @Test
    void shapesOfTheSameSizeShareMemoryAndLargerOnesGrowIt() {
        DetachedBuffer buffer = new DetachedBuffer();
        INDArray matrix = buffer.shaped(DataType.FLOAT, 6, 4);
        matrix.assign(Nd4j.linspace(DataType.FLOAT, 0, 24, 1).reshape('c', 6, 4));
        INDArray cube = buffer.shaped(DataType.FLOAT, 2, 3, 4);
        assertArrayEquals(new long[] {2, 3, 4}, cube.shape());
        assertEquals(4 * 1 + 2, cube.getFloat(0, 1, 2), "row-major view of the same memory");
        assertEquals(23f, buffer.shaped(DataType.FLOAT, 24).getFloat(23), "the whole buffer is seen");
        assertEquals(5f, buffer.shaped(DataType.FLOAT, 2, 3).getFloat(1, 2), "a smaller shape sees its start");

        INDArray larger = buffer.shaped(DataType.FLOAT, 5, 10);
        assertEquals(0f, larger.sumNumber().floatValue(), "grown memory is zero");
        assertEquals(DataType.DOUBLE, buffer.shaped(DataType.DOUBLE, 2, 2).dataType());
    }

    @Test
    void survivesTheWorkspaceItWasAskedForIn() {
        DetachedBuffer buffer = new DetachedBuffer();
        WorkspaceConfiguration configuration = WorkspaceConfiguration.builder().build();
        try (MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(configuration, "test")) {
            INDArray inside = buffer.shaped(DataType.FLOAT, 3, 3).assign(7);
            assertFalse(inside.isAttached(), "not in the open workspace");
        }
        assertEquals(63f, buffer.shaped(DataType.FLOAT, 3, 3).sumNumber().floatValue());
    }
}

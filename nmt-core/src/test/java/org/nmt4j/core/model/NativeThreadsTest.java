package org.nmt4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NativeThreadsTest {

    @Test
    void appliedSettingsAreInForceAndCanBeRestored() {
        NativeThreads before = NativeThreads.current();
        try {
            NativeThreads.ONE_PER_CALL.apply();
            assertEquals(NativeThreads.ONE_PER_CALL, NativeThreads.current());
        } finally {
            before.apply();
        }
        assertEquals(before, NativeThreads.current());
    }
}

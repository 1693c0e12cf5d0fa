package org.nmt4j.core.model;

import org.slf4j.LoggerFactory;

/**
 * Whether this JVM has Java's Vector API ({@code jdk.incubator.vector}, an incubator module in Java 17-25, enabled
 * with {@code --add-modules jdk.incubator.vector}; {@code ./nmt} and the tests pass it). Classes that use it are
 * loaded only when it is there; without it the same computations run on slower paths and a warning is logged once.
 */
public final class VectorApi {

    private static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static {
        if (!ENABLED) {
            LoggerFactory.getLogger(VectorApi.class).warn("Java's Vector API is not enabled, so the LSTM time "
                    + "steps of training and the beam search's normalizers run slower; start Java with "
                    + "--add-modules jdk.incubator.vector (./nmt does)");
        }
    }

    private VectorApi() {
    }

    /** True if {@code jdk.incubator.vector} is in the boot layer. */
    public static boolean enabled() {
        return ENABLED;
    }
}

package org.nmt4j.core.model;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads ND4J's native code may use within one call: OpenBLAS for a matrix product ({@code blas}), and
 * libnd4j's parallel loops for other operations ({@code operations}, its "max master threads"; its "max threads"
 * setter has no effect in 1.0.0-M2.1). These settings are global to the process. Decoding is fastest with one
 * thread per call and one decoder per core ({@link #ONE_PER_CALL}): the products of a decoder step are too small to
 * gain from several threads, and handing work to sleeping threads costs more than it saves.
 */
public record NativeThreads(int blas, int operations) {

    /** One thread per call. */
    public static final NativeThreads ONE_PER_CALL = new NativeThreads(1, 1);

    /** The settings in force now. */
    public static NativeThreads current() {
        return new NativeThreads(Nd4j.factory().blas().getMaxThreads(), Nd4j.getEnvironment().maxMasterThreads());
    }

    /** Puts these settings in force for the whole process. */
    public void apply() {
        Nd4j.factory().blas().setMaxThreads(blas);
        Nd4j.getEnvironment().setMaxMasterThreads(operations);
    }
}

package org.nmt4j.train.loop;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.ServiceLoader;
import org.nmt4j.core.model.ModelDirectory;
import org.nmt4j.train.config.TrainConfig;

/**
 * Data-parallel training of the same model as {@link Trainer}, writing the same model directory. nmt-train has no
 * implementation: the optional nmt-spark module provides one (Apache Spark), found with {@link ServiceLoader}.
 */
public interface DataParallelTraining {

    /** Why {@link #find()} failed, and how to get an implementation. */
    String MISSING = "--spark-master needs the optional nmt-spark module, which is not on the classpath: build with"
            + " the Maven profile 'spark' (mvn -Pspark install) and run the launcher as NMT_SPARK=1 ./nmt train …"
            + " (see nmt-spark/README.md)";

    /**
     * Trains a new model into {@code directory} (or continues it with {@code resume}, where supported) and returns
     * how training ended.
     */
    Trainer.Summary run(TrainConfig config, ModelDirectory directory, boolean resume, DataParallelOptions options,
                        PrintStream console) throws IOException;

    /**
     * The implementation on the classpath.
     *
     * @throws IllegalStateException with {@link #MISSING} when there is none
     */
    static DataParallelTraining find() {
        return find(Thread.currentThread().getContextClassLoader());
    }

    /** As {@link #find()}, looking in {@code loader}. */
    static DataParallelTraining find(ClassLoader loader) {
        Iterator<DataParallelTraining> found = ServiceLoader.load(DataParallelTraining.class, loader).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException(MISSING);
        }
        return found.next();
    }
}

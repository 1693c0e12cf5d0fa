package org.nmt4j.train.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmt4j.cli.UsageException;

/** {@code nmt train --spark-master} without the nmt-spark module, and the --spark-* option checks. */
class TrainCommandSparkTest {

    private static CommandLine parse(String... args) throws Exception {
        return DefaultParser.builder().build().parse(new TrainCommand().options(), args);
    }

    @Test
    void explainsHowToGetTheSparkModule(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainCommand().run(
                parse("-m", model.toString(), "--spark-master", "local[2]", "--spark-workers", "2")));
        assertTrue(e.getMessage().contains("nmt-spark") && e.getMessage().contains("-Pspark")
                && e.getMessage().contains("NMT_SPARK=1"), e.getMessage());
        assertFalse(Files.exists(model), "nothing is written when the module is missing");
    }

    @Test
    void sparkOptionsNeedAMaster(@TempDir Path tmp) throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> new TrainCommand().run(
                parse("-m", tmp.toString(), "--spark-averaging-frequency", "4")));
        assertTrue(e.getMessage().contains("--spark-master"), e.getMessage());
        assertThrows(UsageException.class, () -> new TrainCommand().run(
                parse("-m", tmp.toString(), "--spark-master", "local[2]", "--spark-workers", "0")));
    }
}

package org.nmt4j.serve.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What a report records so that its numbers can be reproduced and put in context: date, machine, Java, the
 * versions of nmt4j and its engine libraries (filled in at build time), the git commit of the source tree when
 * there is one, and SHA-256 digests of the data files.
 */
public final class RunEnvironment {

    private RunEnvironment() {
    }

    /**
     * @param sourceTree the nmt4j checkout, for its git commit (null: not recorded)
     * @param files      data files to fingerprint, by label
     */
    public static Map<String, String> describe(Path sourceTree, Map<String, Path> files) throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        facts.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        facts.put("OMP_WAIT_POLICY", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        Properties versions = new Properties();
        try (InputStream in = RunEnvironment.class.getResourceAsStream("/org/nmt4j/serve/versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        }
        for (String name : versions.stringPropertyNames().stream().sorted().toList()) {
            facts.put(name, versions.getProperty(name));
        }
        if (sourceTree != null) {
            String commit = gitCommit(sourceTree);
            if (commit != null) {
                facts.put("git commit", commit);
            }
        }
        for (Map.Entry<String, Path> file : files.entrySet()) {
            facts.put("sha256 " + file.getKey(), file.getValue() + " " + sha256(file.getValue()));
        }
        return facts;
    }

    /** {@code git rev-parse HEAD} (with "+changes" when the tree differs from it), or null without git. */
    private static String gitCommit(Path tree) {
        String head = git(tree, "rev-parse", "HEAD");
        if (head == null) {
            return null;
        }
        String changes = git(tree, "status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? head : head + " (with uncommitted changes)";
    }

    private static String git(Path tree, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = tree.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The SHA-256 digest of a file, in hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

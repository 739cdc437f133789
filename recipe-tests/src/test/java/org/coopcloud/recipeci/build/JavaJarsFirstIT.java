package org.coopcloud.recipeci.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/java-jars-first}, which starts the recipe run's JVM: it reorders the class path (jars first, then
 * directories, each in their order), passes every other argument on byte for byte, and execs java in its place.
 */
class JavaJarsFirstIT {
    private static final Path SCRIPT = Path.of("../scripts/java-jars-first").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theJarsComeFirstAndEveryOtherArgumentAsGiven() throws Exception {
        Path java = standIn();

        List<String> argv = run(
                java.toString(),
                "/m/target/test-classes:/m/target/classes:/r/a.jar:/h/target/classes:/r/b c.jar::/r/*.jar",
                "-Dstages=install\" \"-XX:OnOutOfMemoryError=sh",
                "-Dx='quoted' $HOME *",
                "",
                "org.example.Main");

        assertThat(argv)
                .containsExactly(
                        "-classpath",
                        "/r/a.jar:/r/b c.jar:/r/*.jar:/m/target/test-classes:/m/target/classes:/h/target/classes",
                        "-Dstages=install\" \"-XX:OnOutOfMemoryError=sh",
                        "-Dx='quoted' $HOME *",
                        "",
                        "org.example.Main");
    }

    @Test
    void theClassDataArchiveOptionGoesOnlyWhenItsFileIsThereAndThisUsers() throws Exception {
        Path java = standIn();
        Path archive = Files.writeString(dir.resolve("run.jsa"), "an archive");

        assertThat(run(java.toString(), "a.jar", "-XX:SharedArchiveFile=" + archive, "Main"))
                .containsExactly("-classpath", "a.jar", "-XX:SharedArchiveFile=" + archive, "Main");
        assertThat(run(java.toString(), "a.jar", "-XX:SharedArchiveFile=" + dir.resolve("missing.jsa"), "Main"))
                .as("a missing archive would turn class sharing off altogether: the JDK's own is kept")
                .containsExactly("-classpath", "a.jar", "Main");
        assertThat(run(java.toString(), "a.jar", "-XX:SharedArchiveFile=", "Main"))
                .containsExactly("-classpath", "a.jar", "Main");
    }

    @Test
    void anArchiveOfAnotherUsersIsNotMapped() throws Exception {
        // Root's file, seen by another user: as root, the script runs as nobody (setpriv); else as this user.
        boolean root = Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0);
        Path shared = Files.createTempDirectory("java-jars-first-");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path java = standIn(shared);
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path theirs = root ? Files.writeString(shared.resolve("run.jsa"), "root's") : Path.of("/etc/hostname");
            Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> prefix =
                    root ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--") : List.of();
            assumeTrue(
                    !root || Files.isExecutable(Path.of("/usr/bin/setpriv")) && othersMayRun(SCRIPT),
                    "needs setpriv and a script others may run, to look at root's file as another user");
            assumeTrue(Files.getAttribute(theirs, "unix:uid").equals(0), "needs a file of root's");

            assertThat(run(prefix, java.toString(), "a.jar", "-XX:SharedArchiveFile=" + theirs, "Main"))
                    .containsExactly("-classpath", "a.jar", "Main");
        } finally {
            try (var files = Files.list(shared)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(shared);
        }
    }

    /** The script and every directory above it may be read and entered by others. */
    private static boolean othersMayRun(Path file) throws IOException {
        for (Path p = file; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void javaTakesTheScriptsPlace() throws Exception {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$$ $PPID\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        Process script = new ProcessBuilder(SCRIPT.toString(), java.toString(), "a.jar").start();

        String[] pids = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .strip()
                .split(" ");

        assertThat(script.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Long.parseLong(pids[0]))
                .as("the same process: exec, no shell left between")
                .isEqualTo(script.pid());
        assertThat(Long.parseLong(pids[1])).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void withoutJavaAndAClassPathItSaysHowToCallIt() throws Exception {
        Process script = new ProcessBuilder(SCRIPT.toString(), "java")
                .redirectErrorStream(true)
                .start();

        String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(script.waitFor()).isEqualTo(2);
        assertThat(out).contains("usage: java-jars-first JAVA CLASSPATH [ARG...]");
    }

    /** A stand-in for java that prints each argument it got on a line of its own. */
    private Path standIn() throws IOException {
        return standIn(dir);
    }

    private static Path standIn(Path dir) throws IOException {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return java;
    }

    private static List<String> run(String... args) throws Exception {
        return run(List.of(), args);
    }

    private static List<String> run(List<String> prefix, String... args) throws Exception {
        List<String> argv = new ArrayList<>(prefix);
        argv.add(SCRIPT.toString());
        argv.addAll(List.of(args));
        Process script = new ProcessBuilder(argv).start();
        String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).isZero();
        return out.lines().toList();
    }
}

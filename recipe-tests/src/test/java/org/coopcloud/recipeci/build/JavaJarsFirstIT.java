package org.coopcloud.recipeci.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(run(java.toString(), "a.jar", "-XX:SharedArchiveFile=/etc/hostname", "Main"))
                .as("a file of another user's (root's, when the tests do not run as root) or none: not mapped")
                .doesNotContain(isRoot() ? "" : "-XX:SharedArchiveFile=/etc/hostname");
    }

    private static boolean isRoot() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0);
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
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return java;
    }

    private static List<String> run(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(SCRIPT.toString()));
        argv.addAll(List.of(args));
        Process script = new ProcessBuilder(argv).start();
        String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).isZero();
        return out.lines().toList();
    }
}

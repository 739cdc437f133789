package org.coopcloud.recipeci.internal.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coopcloud.recipeci.internal.os.NativePosix;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.coopcloud.recipeci.internal.testsupport.ClassDataMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive with real JVMs and the JDK's own {@code java -Xshare:dump}: each case starts
 * {@link ClassDataMain} (a run's end in miniature) with {@code -XX:SharedArchiveFile} and a class path shaped like a
 * recipe run's, and reads whether the JVM mapped the archive from the JVM itself.
 */
class ClassDataArchiveIT {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void reap() throws InterruptedException {
        for (ChildJvm child : children) {
            child.close();
        }
    }

    @Test
    void writtenWhenMissingOrOutdatedMappedOtherwiseAndPartialFilesOfKilledWritersRemoved() throws Exception {
        Path archive = dir.resolve("home").resolve("cache").resolve("run.jsa");
        List<String> entries = jarsFirst();
        // A jar of the archive's own, to change under it.
        Path jar = Files.copy(Path.of(entries.get(0)), dir.resolve("first.jar"));
        entries.set(0, jar.toString());
        String classPath = String.join(File.pathSeparator, entries);
        ChildJvm first = run(classPath, archive);
        assertThat(first.awaitExit(LIMIT)).isZero();
        assertThat(first.output())
                .contains("IN-USE false", "missing — a green run writes it when it ends")
                .contains("writing the class-data archive", "class-data archive written in");
        assertThat(archive).isRegularFile();
        assertThat(archive.resolveSibling("run.jsa.source"))
                .content()
                .contains(jar.toString(), "java.vm.version=", "loaded-classes=");
        assertThat(partialFiles()).isEmpty();
        List<String> listed = Files.readAllLines(archive.resolveSibling("run.jsa.classes"));
        assertThat(listed)
                .as("the classes the archive holds, kept for the next rewrite")
                .contains("java/lang/Object");
        for (Path made : List.of(archive.getParent(), archive.getParent().getParent())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
                    .as("the directories it made are the user's alone: " + made)
                    .isEqualTo("rwx------");
        }
        FileTime written = Files.getLastModifiedTime(archive);

        // Last marked used two days ago, beside an archive no run used for 46 days.
        Path record = archive.resolveSibling("run.jsa.source");
        Path unused = Files.writeString(archive.resolveSibling("recipe-ci-0.0.2-java17.0.1.jsa"), "archive");
        Path unusedRecord = Files.copy(record, archive.resolveSibling("recipe-ci-0.0.2-java17.0.1.jsa.source"));
        Files.setLastModifiedTime(unusedRecord, FileTime.from(Instant.now().minus(Duration.ofDays(46))));
        Files.setLastModifiedTime(record, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        ChildJvm second = run(classPath, archive);
        assertThat(second.awaitExit(LIMIT)).isZero();
        assertThat(second.output())
                .contains("IN-USE true", ": in use")
                .contains("recipe-ci-0.0.2-java17.0.1.jsa (no run used it for 45 days)")
                .doesNotContain("writing");
        assertThat(unused).doesNotExist();
        assertThat(Files.getLastModifiedTime(record).toInstant())
                .as("a run that maps the archive marks it used")
                .isAfter(Instant.now().minus(Duration.ofMinutes(5)));
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(written);

        ChildJvm sharingOff = run(classPath, archive, List.of("-Xshare:off"));
        assertThat(sharingOff.awaitExit(LIMIT)).isZero();
        assertThat(sharingOff.output())
                .as("an archive made for this JDK and these jars is not written again when a JVM does not map it")
                .contains("IN-USE false", "did not map it", "-Xlog:cds")
                .doesNotContain("writing");

        Path killedDump = Files.createFile(archive.resolveSibling("run.jsa.4711.tmp"));
        Path killedList = Files.createFile(archive.resolveSibling("run.jsa.4711.classes"));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        // An archive of an older harness for a JDK no longer there: no JVM can map it again.
        Path unmappable = Files.writeString(archive.resolveSibling("recipe-ci-0.0.1-java17.0.1.jsa"), "archive");
        Files.writeString(
                archive.resolveSibling("recipe-ci-0.0.1-java17.0.1.jsa.source"),
                "java.home=/gone\n/gone/lib/modules 1 1\nloaded-classes=5\n");
        Files.setLastModifiedTime(
                archive.resolveSibling("recipe-ci-0.0.1-java17.0.1.jsa.source"),
                FileTime.from(Instant.now().minus(Duration.ofDays(8))));
        ChildJvm third = run(classPath, archive);
        assertThat(third.awaitExit(LIMIT)).isZero();
        assertThat(third.output())
                .as("a jar changed since the archive was made: the JVM runs without it, and the run writes it again")
                .contains("outdated", "class-data archive written in")
                .as("and, having written one, removes those beside it that no JVM can map")
                .contains(
                        "removed 1 other archive(s)",
                        "recipe-ci-0.0.1-java17.0.1.jsa (outdated: /gone/lib/modules is gone)");
        assertThat(unmappable).doesNotExist();
        assertThat(archive.resolveSibling("recipe-ci-0.0.1-java17.0.1.jsa.source"))
                .doesNotExist();
        assertThat(killedDump).as("what a writer killed outright left").doesNotExist();
        assertThat(killedList).doesNotExist();
        assertThat(Files.readAllLines(archive.resolveSibling("run.jsa.classes")))
                .as("a rewrite keeps what the archive held")
                .containsAll(listed);

        ChildJvm fourth = run(classPath, archive);
        assertThat(fourth.awaitExit(LIMIT)).isZero();
        assertThat(fourth.output()).contains("IN-USE true");
    }

    @Test
    void notWrittenAfterARedRunNorForAClassPathThatStartsWithADirectoryNorWhenNotAskedFor() throws Exception {
        Path archive = dir.resolve("run.jsa");
        String jarsFirst = String.join(File.pathSeparator, jarsFirst());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("placeholder.txt"), "a class directory is never empty in a run");

        ChildJvm red = run(jarsFirst, archive, List.of(), "red");
        ChildJvm dirFirst = run(classes + File.pathSeparator + jarsFirst, archive);
        ChildJvm notAsked = run(jarsFirst, Path.of(""), List.of("-XX:SharedArchiveFile=" + archive));

        assertThat(red.awaitExit(LIMIT)).isZero();
        assertThat(red.output())
                .as("a run that was not green may not have loaded what a whole run loads")
                .contains("missing — a green run writes it")
                .doesNotContain("writing");
        assertThat(dirFirst.awaitExit(LIMIT)).isZero();
        assertThat(dirFirst.output())
                .contains("IN-USE false", "not possible, the class path does not start with jars")
                .doesNotContain("writing");
        assertThat(notAsked.awaitExit(LIMIT)).isZero();
        assertThat(notAsked.output())
                .contains("IN-USE false", "STATE not asked for")
                .doesNotContain("writing");
        assertThat(archive).doesNotExist();
    }

    @Test
    void anOutdatedArchiveThatARunWillNotWriteIsRemovedAndAGreenRunWritesOneAgain() throws Exception {
        Path archive = dir.resolve("run.jsa");
        Files.writeString(archive, "made for another JDK");
        String jarsFirst = String.join(File.pathSeparator, jarsFirst());

        ChildJvm red = run(jarsFirst, archive, List.of(), "red");

        assertThat(red.awaitExit(LIMIT)).isZero();
        assertThat(red.output()).contains("outdated").doesNotContain("writing");
        assertThat(archive)
                .as("a named archive that does not map turns class sharing off altogether: better none")
                .doesNotExist();

        Files.writeString(archive.resolveSibling("run.jsa.source"), "java.home=elsewhere\n");
        Files.writeString(archive, "not an archive");
        ChildJvm green = run(jarsFirst, archive);
        assertThat(green.awaitExit(LIMIT)).isZero();
        assertThat(green.output()).contains("class-data archive written in");
    }

    @Test
    void aSecondWriterLeavesTheArchiveToTheFirst() throws Exception {
        Path archive = dir.resolve("run.jsa");
        // Another writer: this JVM holds the archive's flock.
        int fd = NativePosix.open(
                dir.resolve("run.jsa.lock"), NativePosix.O_RDWR | NativePosix.O_CREAT | NativePosix.O_CLOEXEC, 0600);
        assertThat(NativePosix.flock(fd, NativePosix.LOCK_EX)).isZero();
        try {
            ChildJvm run = run(String.join(File.pathSeparator, jarsFirst()), archive);

            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.output())
                    .contains("another process holds its lock (a run writing it)")
                    .doesNotContain("written in");
            assertThat(archive).doesNotExist();
        } finally {
            NativePosix.close(fd);
        }
    }

    @Test
    void aDirectoryOthersCanWriteToIsRefused() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        ChildJvm run = run(String.join(File.pathSeparator, jarsFirst()), shared.resolve("run.jsa"));

        assertThat(run.awaitExit(LIMIT)).isZero();
        assertThat(run.output())
                .contains(
                        "class-data archive not written",
                        "is not this user's alone",
                        "-Drecipeci.class-data-archive=FILE");
        assertThat(shared.resolve("run.jsa")).doesNotExist();
    }

    @Test
    void aSignalDuringTheWriteKillsTheDumpLeavesNoPartialFileAndKeepsTheExitCode() throws Exception {
        Path archive = dir.resolve("run.jsa");
        ChildJvm run = run(String.join(File.pathSeparator, jarsFirst()), archive, List.of(), "load-all");
        run.awaitLineContaining("writing the class-data archive", LIMIT);
        ProcessHandle dump = awaitDump(run);

        run.signal("TERM");

        assertThat(run.awaitExit(Duration.ofSeconds(10)))
                .as("the run's committed exit code")
                .isZero();
        assertThat(run.output())
                .contains("SIGTERM received", "after the run finished — its exit code stays 0")
                .contains("class-data archive not written: the run was told to stop")
                .doesNotContain("class-data archive written in");
        assertThat(dump.onExit().get(10, TimeUnit.SECONDS).isAlive())
                .as("the dump is killed with its group")
                .isFalse();
        assertThat(archive).doesNotExist();
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void aSignalBeforeTheWriteStartsNoDump() throws Exception {
        Path archive = dir.resolve("run.jsa");

        ChildJvm run = run(String.join(File.pathSeparator, jarsFirst()), archive, List.of(), "stop-first");

        assertThat(run.awaitExit(LIMIT)).isZero();
        assertThat(run.output())
                .contains("after the run finished — its exit code stays 0")
                .contains("class-data archive not written: the run was told to stop")
                .doesNotContain("writing the class-data archive");
        assertThat(archive).doesNotExist();
        assertThat(partialFiles()).isEmpty();
    }

    private ChildJvm run(String classPath, Path archive, String... args) throws IOException {
        return run(classPath, archive, List.of(), args);
    }

    /**
     * A run's JVM as the recipe-run profile starts it: the archive named by the property, and mapped with
     * {@code -XX:SharedArchiveFile} when it is there (scripts/java-jars-first drops the option otherwise).
     */
    private ChildJvm run(String classPath, Path archive, List<String> jvmOptions, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(javaCommand(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (Files.isRegularFile(archive)) {
            argv.add("-XX:SharedArchiveFile=" + archive);
        }
        argv.add("-Drecipeci.class-data-archive=" + archive);
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-cp", classPath, ClassDataMain.class.getName()));
        argv.addAll(List.of(args));
        ChildJvm child = ChildJvm.start(Map.of(), argv);
        children.add(child);
        return child;
    }

    /** The test JVM's class path, its jars first: the shape of a recipe run's (its libraries, then directories). */
    private static List<String> jarsFirst() {
        List<String> jars = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String entry : ChildJvm.classpath().split(File.pathSeparator)) {
            (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry)) ? jars : rest).add(entry);
        }
        assertThat(jars).as("premise: the test class path has jars").isNotEmpty();
        jars.addAll(rest);
        return jars;
    }

    private List<Path> partialFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.jsa\\..+\\.(tmp|classes)"))
                    .toList();
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
                    .replace('\0', ' ');
        } catch (IOException e) {
            return ""; // gone
        }
    }

    private static ProcessHandle awaitDump(ChildJvm run) throws InterruptedException {
        long until = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < until && run.process().isAlive()) {
            Optional<ProcessHandle> dump = run.process()
                    .descendants()
                    .filter(p -> commandLine(p).startsWith(javaCommand() + " -Xshare:dump"))
                    .findFirst();
            if (dump.isPresent()) {
                return dump.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no java -Xshare:dump started; output:\n" + run.output());
    }
}

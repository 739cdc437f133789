package org.coopcloud.recipeci.recipes.hello;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Class-data sharing (AppCDS) for the harness JVMs these ITs start, some hundred per build on a 2-core machine: each
 * would otherwise read, parse and verify the same ~7,700 classes from the same jars. The first run that ends green
 * writes the list of classes it loaded; from that list one archive is made, on a thread of its own, and every run
 * started after it maps the archive instead (about 0.6 s of CPU less per full run, measured). Runs started before
 * the archive is there run without one. The build's output says whether it was made, and from how many classes.
 *
 * <p>JDK 17 archives classes from jars only (it refuses to make an archive from a class path with a class directory),
 * and a JVM takes an archive only when its class path starts with the one the archive was made with: the archive is
 * made from the jars, and {@link #classpath()} puts the same jars first and the directories after them, for every
 * run alike. With {@code -Xshare:auto} an archive that does not fit is ignored, not fatal. The archive lives in a
 * directory of this test JVM, removed when it exits.
 */
final class SharedClasses {
    /** A list shorter than this came from a run that stopped early: it would archive too little to be worth it. */
    private static final int FULL_RUN_CLASSES = 4000;

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final AtomicLong LISTS = new AtomicLong();
    private static volatile Optional<Path> archive = Optional.empty();
    /** The dump's JVM while it runs: this JVM's exit takes it along. */
    private static volatile Process dumpJvm;

    private static final class Dir {
        static final Path PATH = create();

        private static Path create() {
            try {
                // Under the module's target (Failsafe runs in the module's directory): a killed build leaves it where
                // `mvn clean` takes it, not in the host's /tmp.
                Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
                Path dir = Files.createTempDirectory(target, "it-cds-");
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> {
                                    Process dumping = dumpJvm;
                                    if (dumping != null) {
                                        dumping.destroyForcibly();
                                    }
                                    deleteTree(dir);
                                },
                                "recipe-ci-it-cds-cleanup"));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private SharedClasses() {}

    /** This JVM's test class path with its jars first: the part an archive is made from, and must start with. */
    static String classpath() {
        List<String> dirs = parts(false);
        return dirs.isEmpty() ? jars() : jars() + File.pathSeparator + String.join(File.pathSeparator, dirs);
    }

    /** The jars of the class path, in order: what the archive is made from (JDK 17 refuses a class directory). */
    private static String jars() {
        return String.join(File.pathSeparator, parts(true));
    }

    private static List<String> parts(boolean jars) {
        List<String> parts = new ArrayList<>();
        for (String entry : RecipeCiProcess.testClasspath().split(File.pathSeparator)) {
            if (!entry.isBlank() && entry.endsWith(".jar") == jars) {
                parts.add(entry);
            }
        }
        return parts;
    }

    /** What a run adds to its JVM's flags: the archive once there is one, else a class list to write. */
    static Flags flags() {
        Optional<Path> made = archive;
        if (made.isPresent()) {
            return new Flags(List.of("-XX:SharedArchiveFile=" + made.get()), Optional.empty());
        }
        if (STARTED.get()) {
            return new Flags(List.of(), Optional.empty());
        }
        Path list = Dir.PATH.resolve("classes-" + LISTS.incrementAndGet() + ".lst");
        return new Flags(List.of("-XX:DumpLoadedClassList=" + list), Optional.of(list));
    }

    /** The archive's flag once there is one; for runs whose exit is not judged here. */
    static List<String> archiveOnly() {
        return archive.map(a -> List.of("-XX:SharedArchiveFile=" + a)).orElse(List.of());
    }

    /** A run's flags, and the class list it writes if it is asked to. */
    record Flags(List<String> jvm, Optional<Path> classList) {
        /** Called with the run's exit code: a green full run's list makes the archive; any other list is dropped. */
        void exited(int exitCode) {
            classList.ifPresent(list -> offer(list, exitCode == 0));
        }
    }

    private static void offer(Path list, boolean green) {
        try {
            if (green && lineCount(list) >= FULL_RUN_CLASSES && STARTED.compareAndSet(false, true)) {
                Thread dump = new Thread(() -> dump(list), "recipe-ci-it-cds-dump");
                dump.setDaemon(true);
                dump.start();
                return;
            }
            Files.deleteIfExists(list);
        } catch (IOException e) {
            // A list that cannot be read or removed: no archive from it; the directory goes at exit.
        }
    }

    private static long lineCount(Path list) throws IOException {
        if (!Files.exists(list)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(list)) {
            return lines.count();
        }
    }

    private static void dump(Path list) {
        Path made = Dir.PATH.resolve("harness.jsa");
        Path partial = Dir.PATH.resolve("harness.jsa.partial");
        try {
            List<String> argv = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            argv.addAll(HarnessRun.LEAN_JVM.stream()
                    .filter(flag -> !flag.startsWith("-Xshare"))
                    .toList());
            argv.addAll(List.of(
                    "-Xshare:dump",
                    "-XX:SharedClassListFile=" + list,
                    "-XX:SharedArchiveFile=" + partial,
                    "-cp",
                    jars()));
            Process process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(Dir.PATH.resolve("dump.log").toFile())
                    .start();
            dumpJvm = process;
            long started = System.nanoTime();
            if (process.waitFor(2, TimeUnit.MINUTES) && process.exitValue() == 0 && Files.exists(partial)) {
                Files.move(partial, made, StandardCopyOption.ATOMIC_MOVE);
                archive = Optional.of(made);
                System.out.printf(
                        "[it] shared class archive of %d classes made in %d ms; later harness runs map it%n",
                        lineCount(list), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } else {
                process.destroyForcibly();
                System.out.println("[it] no shared class archive (harness runs go on without one): "
                        + Files.readAllLines(Dir.PATH.resolve("dump.log")).stream()
                                .filter(line -> line.contains("rror"))
                                .findFirst()
                                .orElse("the dump did not finish"));
            }
        } catch (IOException e) {
            System.out.println("[it] no shared class archive (harness runs go on without one): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort at JVM exit.
        }
    }
}

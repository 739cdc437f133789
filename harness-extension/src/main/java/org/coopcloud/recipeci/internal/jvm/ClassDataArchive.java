package org.coopcloud.recipeci.internal.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.text.FailureText;

/**
 * The class-data archive (CDS) of the entrypoint's JVM: the classes a run loads from the JDK and its libraries,
 * parsed and verified once, then mapped into every later run's JVM instead of read from the jars again — most of the
 * CPU a run spends before its first deploy (docs/operations.md#class-data-archive).
 *
 * <p>{@code recipeci.class-data-archive} names the file; the recipe-run profile names it, and starts the JVM with
 * {@code -XX:SharedArchiveFile} when the file is there ({@code scripts/java-jars-first}). A green run that did not map
 * it — missing, or made for another JDK or other jars — writes it when it ends ({@link #afterRun}); so does one that
 * loaded clearly more classes than it holds. Only jars can be archived, and only the jars that lead the class path.
 * What an archive was made from is kept beside it ({@code FILE.source}): an archive made for this JDK and these jars
 * that a JVM still does not map (sharing turned off) is not written again and again. The archives of other versions and
 * JDKs beside it go once they are outdated or no run used them for weeks ({@link ArchiveRetention}).
 */
public final class ClassDataArchive {
    /** The dump is worth nothing once the run is told to stop: a short grace before it is killed. */
    private static final Duration DUMP_GRACE = Duration.ofSeconds(1);
    /** A run that loaded this much more than the archive holds (a fuller set of stages) writes it again. */
    static final double GROWTH = 1.1;
    /** How the record of what an archive was made from ({@code FILE.source}) begins. */
    static final String RECORD_START = "java.home=";

    private final Path file;
    private final boolean inUse;
    private final List<Path> jars;
    /** What an archive written now would be made from ({@link #source(List)}). */
    private final String source;

    ClassDataArchive(Path file, boolean inUse, List<Path> jars) {
        this.file = file;
        this.inUse = inUse;
        this.jars = List.copyOf(jars);
        this.source = source(this.jars);
    }

    /** The archive named {@code file}, as this JVM sees it: whether it mapped it, and what it could hold. */
    public static ClassDataArchive ofThisJvm(Path file) {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String mapped = vm.getVMOption("SharedArchiveFile").getValue();
        boolean inUse = !mapped.isBlank()
                && Path.of(mapped).toAbsolutePath().equals(file)
                && Boolean.parseBoolean(vm.getVMOption("UseSharedSpaces").getValue());
        return new ClassDataArchive(file, inUse, leadingJars(System.getProperty("java.class.path", "")));
    }

    /**
     * What a run does after its result is committed: says in the run log what became of the archive {@code wanted}
     * names, and writes it for later runs when a green run (one that ended early did not load what a whole run loads)
     * did not map it, or loaded clearly more than it holds. A signal or the deadline now kills the dump; the exit
     * code stays. A failure is a warning: the result stands, and the next green run tries again.
     */
    public static void afterRun(Optional<Path> wanted, Lifetime lifetime, RunLog log, boolean green) {
        if (wanted.isEmpty()) {
            return;
        }
        ClassDataArchive archive = ofThisJvm(wanted.get().toAbsolutePath());
        long loaded = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        log.detail(archive.state(loaded));
        if (archive.inUse && ArchiveRetention.markUsed(archive.file, Instant.now()) && !lifetime.cancelled()) {
            pruneOthers(archive.file, log); // about once a day on a host that writes no archive
        }
        if (!archive.wanted(loaded) || !green || lifetime.cancelled()) {
            if (archive.outdated()) {
                // No sharing at all for the runs that would find it, until a green run writes it: better none.
                ArchiveWriter.removeOutdated(archive.file, archive.source);
            }
            return;
        }
        // A signal or the deadline now stops the runner: the dump's group is killed (no interrupt: the logs stay open).
        CommandRunner runner = new CommandRunner(DUMP_GRACE, log::command);
        lifetime.onLateStop(runner::stopAll);
        long start = System.nanoTime();
        try {
            if (runner.stopped()) {
                throw new IllegalStateException("stopped before it began");
            }
            log.info("writing the class-data archive for later runs (once per JDK and set of libraries, a few"
                    + " seconds): " + archive.file);
            ArchiveWriter.Outcome outcome = ArchiveWriter.write(archive.file, archive.jars, archive.source, runner);
            log.info(
                    switch (outcome) {
                        case WRITTEN ->
                            "class-data archive written in " + (System.nanoTime() - start) / 100_000_000 / 10.0 + " s";
                        case BUSY ->
                            "class-data archive: another process holds its lock (a run writing it); this one leaves it";
                        case WRITTEN_MEANWHILE -> "class-data archive: another run wrote it meanwhile";
                    });
            if (outcome == ArchiveWriter.Outcome.WRITTEN) {
                pruneOthers(archive.file, log);
            }
        } catch (RuntimeException e) {
            log.warn("class-data archive not written: "
                    + (runner.stopped()
                            ? "the run was told to stop (signal or deadline) after its result"
                            : FailureText.firstMeaningfulLine(e))
                    + " — the run's result stands; the next green run tries again"
                    + " (-Drecipeci.class-data-archive= runs without one)");
        } finally {
            lifetime.onLateStop(() -> {});
        }
    }

    /** Removes the archives beside {@code kept} that are of no more use ({@link ArchiveRetention}), and says which. */
    private static void pruneOthers(Path kept, RunLog log) {
        List<String> removed;
        try {
            removed = ArchiveRetention.prune(kept, Instant.now());
        } catch (RuntimeException e) {
            log.detail("class-data archive: the others beside it were not looked at: " + e.getMessage());
            return;
        }
        if (!removed.isEmpty()) {
            log.info("class-data archive: removed " + removed.size() + " other archive(s) of " + kept.getParent() + ": "
                    + String.join(", ", removed));
        }
    }

    /** The jars a class path starts with, up to its first entry that is not a jar file: what an archive can hold. */
    static List<Path> leadingJars(String classPath) {
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath.split(Pattern.quote(File.pathSeparator))) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                break;
            }
            jars.add(Path.of(entry).toAbsolutePath());
        }
        return jars;
    }

    /** Whether this JVM mapped the archive. */
    public boolean inUse() {
        return inUse;
    }

    /**
     * Whether a green run that loaded {@code loaded} classes should write the archive: there are jars to archive, and
     * it is missing or outdated, or it is in use but holds clearly fewer classes than this run loaded. An archive made
     * for this JDK and these jars that this JVM did not map is not written again: that would not help.
     */
    boolean wanted(long loaded) {
        if (jars.isEmpty() || ArchiveWriter.failedBefore(file, source).isPresent()) {
            return false;
        }
        Optional<Long> holds = ArchiveWriter.classesOf(file, source);
        return holds.isEmpty() || (inUse && loaded > holds.get() * GROWTH);
    }

    /** There, but not made for this JDK and these jars (or what it was made from is not recorded). */
    boolean outdated() {
        return Files.exists(file) && ArchiveWriter.classesOf(file, source).isEmpty();
    }

    /** One line for the run log: the archive's state, and what the run does about it. */
    public String state(long loaded) {
        String name = "class-data archive " + file + ": ";
        if (jars.isEmpty()) {
            return name + "not possible, the class path does not start with jars (only jars can be archived: put the"
                    + " libraries' jars before the class directories)";
        }
        Optional<String> failed = ArchiveWriter.failedBefore(file, source);
        if (failed.isPresent()) {
            return name + "writing it failed for this JDK and these jars (" + failed.get() + "); not tried again until"
                    + " they change (remove " + ArchiveWriter.sourceOf(file) + " to try again)";
        }
        Optional<Long> holds = ArchiveWriter.classesOf(file, source);
        if (holds.isEmpty()) {
            return name
                    + (!Files.exists(file)
                            ? "missing"
                            : inUse
                                    ? "in use, but not recorded as made for this JDK and these jars"
                                    : "outdated (made for another JDK or other jars)")
                    + " — a green run writes it when it ends";
        }
        if (inUse) {
            return name + "in use"
                    + (wanted(loaded)
                            ? ", but this run loaded " + loaded + " classes, clearly more than the " + holds.get()
                                    + " of the run that made it: a green run writes it again"
                            : "");
        }
        return name + "made for this JDK and these jars, but this JVM did not map it: is sharing off"
                + " (-Xshare:off, JAVA_TOOL_OPTIONS)? -Xlog:cds says why; it is not written again";
    }

    /** What an archive of {@code jars} is made from: the JDK (its home, version and module image) and each jar's size
     * and time. */
    private static String source(List<Path> jars) {
        Path modules = Path.of(System.getProperty("java.home"), "lib", "modules");
        StringBuilder source = new StringBuilder()
                .append(RECORD_START)
                .append(System.getProperty("java.home"))
                .append('\n')
                .append("java.vm.version=")
                .append(System.getProperty("java.vm.version"))
                .append('\n');
        for (Path part : concat(modules, jars)) {
            source.append(describe(part)).append('\n');
        }
        return source.toString();
    }

    /** A file as the record names it: its path, size and time, or that it is gone. */
    static String describe(Path file) {
        try {
            return file + " " + Files.size(file) + " "
                    + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return file + " gone";
        }
    }

    String source() {
        return source;
    }

    private static List<Path> concat(Path first, List<Path> rest) {
        List<Path> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}

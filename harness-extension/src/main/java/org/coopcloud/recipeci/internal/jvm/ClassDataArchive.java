package org.coopcloud.recipeci.internal.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * <p>The JVM is asked for it with {@code -XX:SharedArchiveFile=FILE} (the recipe-run profile does). When the file is
 * missing or outdated — made by another JDK, or from jars that changed since — the JVM runs without it, silently,
 * and a green run writes it when it ends ({@link #afterRun}). Only jars can be archived, and only the jars that lead
 * the class path. What an archive was made from is kept beside it ({@code FILE.source}): an archive made for this JDK
 * and these jars that a JVM still does not map (sharing turned off) is not written again and again.
 */
public final class ClassDataArchive {
    /** The dump is worth nothing once the run is told to stop: a short grace before it is killed. */
    private static final Duration DUMP_GRACE = Duration.ofSeconds(1);

    private final Path file;
    private final boolean inUse;
    private final List<Path> jars;

    ClassDataArchive(Path file, boolean inUse, List<Path> jars) {
        this.file = file.toAbsolutePath();
        this.inUse = inUse;
        this.jars = List.copyOf(jars);
    }

    /** The archive this JVM was started with ({@code -XX:SharedArchiveFile}); empty when it was not asked for one. */
    public static Optional<ClassDataArchive> ofThisJvm() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String option = vm.getVMOption("SharedArchiveFile").getValue();
        if (option.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new ClassDataArchive(
                Path.of(option),
                Boolean.parseBoolean(vm.getVMOption("UseSharedSpaces").getValue()),
                leadingJars(System.getProperty("java.class.path", ""))));
    }

    /**
     * What a run does after its result is committed: says in the run log what became of the archive, and when this
     * JVM could not use it and the run was green (a run that ended early did not load what a whole run loads), writes
     * it for later runs. A signal or the deadline now kills the dump; the exit code stays. A failure is a warning:
     * the result stands, and the next green run tries again.
     */
    public static void afterRun(Lifetime lifetime, RunLog log, boolean green) {
        Optional<ClassDataArchive> asked = ofThisJvm();
        if (asked.isEmpty()) {
            return;
        }
        ClassDataArchive archive = asked.get();
        log.detail(archive.state());
        if (!archive.wanted() || !green || lifetime.cancelled()) {
            return;
        }
        Thread self = Thread.currentThread();
        lifetime.onLateStop(self::interrupt);
        long start = System.nanoTime();
        try {
            if (self.isInterrupted()) {
                throw new IllegalStateException("stopped before it began");
            }
            log.info("writing the class-data archive for later runs (once per JDK and set of libraries, a few"
                    + " seconds): " + archive.file);
            boolean written = ArchiveWriter.write(
                    archive.file, archive.jars, archive.source(), new CommandRunner(DUMP_GRACE, log::command));
            if (written) {
                log.info("class-data archive written in " + (System.nanoTime() - start) / 100_000_000 / 10.0 + " s");
            } else {
                log.info("class-data archive: another run is writing it; this one leaves it to that run");
            }
        } catch (RuntimeException e) {
            boolean stopped = Thread.interrupted(); // cleared before logging: the run log's writes are interruptible
            log.warn("class-data archive not written: "
                    + (stopped
                            ? "the run was told to stop (signal or deadline) after its result"
                            : FailureText.firstMeaningfulLine(e))
                    + " — the run's result stands; the next green run tries again (-DclassDataArchive= runs"
                    + " without an archive)");
        } finally {
            lifetime.onLateStop(() -> {});
            Thread.interrupted();
        }
    }

    /** The jars a class path starts with, up to its first entry that is not a jar file: what an archive can hold. */
    static List<Path> leadingJars(String classPath) {
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath.split(Pattern.quote(File.pathSeparator))) {
            Path path = Path.of(entry.isEmpty() ? "." : entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
                break;
            }
            jars.add(path.toAbsolutePath());
        }
        return jars;
    }

    public Path file() {
        return file;
    }

    /** Whether this JVM mapped the archive. */
    public boolean inUse() {
        return inUse;
    }

    /**
     * Whether a green run should write the archive: this JVM did not map it, there are jars to archive, and the file
     * there was not made for this JDK and these jars (then writing it again would not help).
     */
    public boolean wanted() {
        return !inUse && !jars.isEmpty() && !madeForThis();
    }

    /** One line for the run log: the archive's state, and what the run does about it. */
    public String state() {
        String name = "class-data archive " + file + ": ";
        if (inUse) {
            return name + "in use";
        }
        if (jars.isEmpty()) {
            return name + "not possible, the class path does not start with jars (only jars can be archived: put the"
                    + " libraries' jars before the class directories)";
        }
        if (!Files.exists(file)) {
            return name + "missing — a green run writes it when it ends";
        }
        if (madeForThis()) {
            return name + "made for this JDK and these jars, but this JVM did not map it: is sharing off"
                    + " (-Xshare:off, JAVA_TOOL_OPTIONS)? -Xlog:cds says why; it is not written again";
        }
        return name + "outdated (made for another JDK or other jars) — a green run writes it again when it ends";
    }

    /** What the archive is made from: the JVM, and each jar with its size and modification time. */
    String source() {
        StringBuilder source = new StringBuilder("java.vm.version=")
                .append(System.getProperty("java.vm.version"))
                .append('\n');
        for (Path jar : jars) {
            try {
                source.append(jar)
                        .append(' ')
                        .append(Files.size(jar))
                        .append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis())
                        .append('\n');
            } catch (IOException e) {
                source.append(jar).append(" gone\n");
            }
        }
        return source.toString();
    }

    private boolean madeForThis() {
        try {
            return Files.exists(file)
                    && Files.readString(ArchiveWriter.sourceOf(file)).equals(source());
        } catch (IOException e) {
            return false;
        }
    }
}

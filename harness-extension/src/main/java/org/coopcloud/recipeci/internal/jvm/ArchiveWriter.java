package org.coopcloud.recipeci.internal.jvm;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.os.NativePosix;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * Writes a class-data archive: the classes this JVM has loaded as a class list, then the JDK's own
 * {@code java -Xshare:dump} over the class path's leading jars into a file of its own, checked to map with this JVM's
 * options, then moved over the archive (a JVM that mapped the old one keeps it). One writer at a time per archive: a
 * non-blocking {@code flock} on {@code FILE.lock}; the writer removes what writers killed outright left. The
 * archive's directory must be this user's alone: a JVM maps what it finds there.
 */
final class ArchiveWriter {
    /** A dump takes a few seconds of CPU on a two-core host; a stuck one is killed with its group. */
    private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(2);
    /** How long a writer waits before it tries a lock another process holds again. */
    private static final Duration LOCK_RETRY = Duration.ofMillis(100);
    /**
     * A line of {@code VM.class_hierarchy}: the tree's indent, the class name, "/", then the loader ("null" for the
     * boot loader, else its address) — for a hidden class (a lambda's, say), its own address and "/" come first.
     */
    private static final Pattern HIERARCHY_LINE = Pattern.compile("^[|\\s-]*([\\w.$]+)/(0x\\p{XDigit}+/)?");
    /** The last line of {@code FILE.source}: how many classes the run that wrote it had loaded. */
    private static final String LOADED = "loaded-classes=";
    /** The last line of {@code FILE.source} when the dump for that source failed: why. */
    private static final String FAILED = "failed=";
    /**
     * The JVM options that decide whether an archive maps: the collector, compressed pointers, object alignment (the
     * unlocking options with them). No other option of the run goes to the check: some write files.
     */
    private static final Pattern MAPPING_OPTION =
            Pattern.compile("-XX:[+-](Use\\w*GC|UseCompressedOops|UseCompressedClassPointers|Unlock\\w*VMOptions)"
                    + "|-XX:ObjectAlignmentInBytes=\\d+");
    /** The dump's and the check's environment: not the run's JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS. */
    private static final Set<String> JVM_ENV = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR");

    enum Outcome {
        WRITTEN,
        /** Another process holds the lock: it is writing the archive. */
        BUSY,
        /** Another process wrote it while this one waited to look. */
        WRITTEN_MEANWHILE
    }

    private ArchiveWriter() {}

    /** Where what {@code archive} was made from is kept. */
    static Path sourceOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".source");
    }

    /**
     * How many classes the run that made {@code archive} had loaded, when it is there and was made from
     * {@code source}; empty when it is missing or was made from something else.
     */
    static Optional<Long> classesOf(Path archive, String source) {
        if (!Files.isRegularFile(archive)) {
            return Optional.empty();
        }
        try {
            return recorded(archive, source, LOADED).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Why the dump for {@code source} failed, when it did (it is not tried again until the source changes). */
    static Optional<String> failedBefore(Path archive, String source) {
        return recorded(archive, source, FAILED);
    }

    /** The record's last line after {@code key}, when the record holds it and was made from {@code source}. */
    private static Optional<String> recorded(Path archive, String source, String key) {
        try {
            String kept = Files.readString(sourceOf(archive));
            int last = kept.lastIndexOf(key);
            return last >= 0 && kept.substring(0, last).equals(source)
                    ? Optional.of(kept.substring(last + key.length()).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes an outdated archive (and what it was made from), unless a writer is at work: a JVM that cannot map a
     * named archive turns class sharing off altogether, the JDK's own archive included.
     */
    static void removeOutdated(Path archive, String source) {
        try {
            int lock = tryLock(archive);
            if (lock < 0) {
                return;
            }
            try {
                if (classesOf(archive, source).isEmpty()) {
                    removeFiles(archive);
                }
            } finally {
                NativePosix.close(lock);
            }
        } catch (IOException e) {
            // Left for the next run.
        }
    }

    /** Removes the archive, what it was made from and the classes it holds; its lock file stays. */
    static void removeFiles(Path archive) throws IOException {
        Files.deleteIfExists(archive);
        Files.deleteIfExists(classListOf(archive));
        Files.deleteIfExists(sourceOf(archive));
    }

    static Path lockFile(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".lock");
    }

    /** Where the classes the archive holds are listed: a rewrite archives them and this run's. */
    static Path classListOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".classes");
    }

    private static int lock(Path archive) throws IOException {
        Path file = lockFile(archive);
        int fd = NativePosix.open(file, NativePosix.O_RDWR | NativePosix.O_CREAT | NativePosix.O_CLOEXEC, 0600);
        if (fd < 0) {
            throw new IOException("cannot open " + file + " (errno " + NativePosix.errno() + ")");
        }
        return fd;
    }

    /**
     * Opens and locks the archive's lock file, and checks that the path still names the file it locked: a pruner
     * ({@link ArchiveRetention}) removes the lock file while it holds it, and a directory may be removed meanwhile.
     * Tried again after a short wait (a pruner holds the lock for milliseconds, a writer for seconds), with the lock
     * file opened anew.
     *
     * @return the lock's descriptor, to close to release it; -1 when another process holds it
     * @throws IOException when it cannot be opened or locked for another reason than another holder
     */
    static int acquire(Path archive) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int lock = tryLock(archive);
            if (lock >= 0 || attempt == 3) {
                return lock;
            }
            try {
                Thread.sleep(LOCK_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /**
     * One attempt at {@link #acquire}: the lock's descriptor, or -1 when another process holds the lock or the path
     * names another file than the one locked (every locker checks that, and a pruner removes the lock file only while
     * it holds it).
     */
    static int tryLock(Path archive) throws IOException {
        int lock = lock(archive);
        boolean held = false;
        try {
            if (NativePosix.flock(lock, NativePosix.LOCK_EX | NativePosix.LOCK_NB) != 0) {
                int errno = NativePosix.errno();
                if (errno != NativePosix.EWOULDBLOCK) {
                    throw new IOException("cannot lock " + lockFile(archive) + " (errno " + errno + ")");
                }
                return -1;
            }
            held = NativePosix.sameFile(lock, lockFile(archive));
            return held ? lock : -1;
        } finally {
            if (!held) {
                NativePosix.close(lock);
            }
        }
    }

    /**
     * Writes {@code archive} from {@code jars}, and {@code source} beside it.
     *
     * @throws RecipeCiException when it cannot be written
     */
    static Outcome write(Path archive, List<Path> jars, String source, CommandRunner runner) {
        Path dir = archive.getParent();
        String name = archive.getFileName().toString();
        long loaded = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            requireOwnDirectory(dir);
            int lock = acquire(archive);
            if (lock < 0) {
                return Outcome.BUSY;
            }
            try {
                if (classesOf(archive, source)
                        .filter(n -> loaded <= n * ClassDataArchive.GROWTH)
                        .isPresent()) {
                    return Outcome.WRITTEN_MEANWHILE;
                }
                removePartials(dir, name);
                try {
                    dump(archive, jars, source + LOADED + loaded + "\n", runner);
                } catch (DumpFailed e) {
                    // Not tried again for this JDK and these jars: the same dump would fail the same way.
                    Files.writeString(
                            sourceOf(archive), source + FAILED + e.getMessage().replace('\n', ' ') + "\n");
                    throw e;
                }
                return Outcome.WRITTEN;
            } finally {
                NativePosix.close(lock); // releases the flock
            }
        } catch (IOException e) {
            throw new RecipeCiException(
                    "cannot write the class-data archive " + archive + ": " + e + " — check that its directory is"
                            + " writable, or name another with -Drecipeci.class-data-archive=FILE",
                    e);
        }
    }

    /** The dump or its check failed: the same dump would fail again. */
    private static final class DumpFailed extends RecipeCiException {
        DumpFailed(String message) {
            super(message);
        }
    }

    private static void dump(Path archive, List<Path> jars, String source, CommandRunner runner) throws IOException {
        Path dir = archive.getParent();
        String name = archive.getFileName().toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path classList = Files.createTempFile(dir, name + ".", ".classes");
        Path partial = Files.createTempFile(dir, name + ".", ".tmp");
        Path partialSource = Files.createTempFile(dir, name + ".", ".tmp");
        try {
            // What the archive held and what this run loaded: a run that loads less (fewer stages) keeps the rest.
            Set<String> classes = new LinkedHashSet<>();
            if (Files.isRegularFile(classListOf(archive))) {
                classes.addAll(Files.readAllLines(classListOf(archive)));
            }
            classes.addAll(classList(loadedClasses()));
            Files.write(classList, classes);
            CommandResult dump = runner.run(Command.of(
                            java,
                            "-Xshare:dump",
                            "-XX:SharedClassListFile=" + classList,
                            "-XX:SharedArchiveFile=" + partial,
                            "-cp",
                            classPath)
                    .withTimeout(DUMP_TIMEOUT)
                    .withInheritedEnvOnly(JVM_ENV));
            stopIf(runner);
            if (dump.timedOut()) {
                // A host too busy this time: tried again by the next green run.
                throw new RecipeCiException("java -Xshare:dump did not finish in " + DUMP_TIMEOUT.toSeconds() + " s");
            }
            if (!dump.ok() || Files.size(partial) == 0) {
                throw new DumpFailed("java -Xshare:dump failed: " + dump.failure());
            }
            // Mapped as this run's JVM would map it: the options that decide whether an archive maps, and -Xshare:on,
            // which fails when it cannot.
            List<String> check = new ArrayList<>(List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + partial));
            check.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> MAPPING_OPTION.matcher(a).matches())
                    .toList());
            check.addAll(List.of("-cp", classPath, "-version"));
            CommandResult maps = runner.run(
                    Command.of(check).withTimeout(Duration.ofSeconds(30)).withInheritedEnvOnly(JVM_ENV));
            stopIf(runner);
            if (!maps.ok()) {
                throw new DumpFailed("the archive java -Xshare:dump made does not map: " + maps.failure());
            }
            Files.writeString(partialSource, source);
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                    classList,
                    classListOf(archive),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                    partialSource,
                    sourceOf(archive),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            for (Path left : List.of(classList, partial, partialSource)) {
                Files.deleteIfExists(left);
            }
        }
    }

    /** The class list of the dump, from {@code VM.class_hierarchy}: named classes only, once each, in order. */
    static List<String> classList(String hierarchy) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : hierarchy.split("\n")) {
            Matcher m = HIERARCHY_LINE.matcher(line);
            // A hidden class has no name the dump could load it by.
            if (m.find() && m.group(2) == null) {
                names.add(m.group(1).replace('.', '/'));
            }
        }
        return List.copyOf(names);
    }

    /** A stopped runner answers the command it did not start, or killed, as failed: that is not the dump's failure. */
    private static void stopIf(CommandRunner runner) {
        if (runner.stopped()) {
            throw new RecipeCiException("stopped");
        }
    }

    private static String loadedClasses() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "vmClassHierarchy",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new RecipeCiException("cannot list the loaded classes (VM.class_hierarchy): " + e.getMessage(), e);
        }
    }

    /**
     * A directory another user owns or may write to could hand this user's later JVMs an archive of its making. The
     * owner is compared by uid (a container's user may have no name).
     */
    static void requireOwnDirectory(Path dir) throws IOException {
        Object owner = Files.getAttribute(dir, "unix:uid");
        Object self = (int) NativePosix.getuid();
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        if (!owner.equals(self)
                || permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new RecipeCiException("the class-data archive's directory " + dir + " is not this user's alone (uid "
                    + owner + ", " + PosixFilePermissions.toString(permissions) + "): a JVM maps what it finds there"
                    + " — name a directory of your own with -Drecipeci.class-data-archive=FILE, or chmod go-w it");
        }
    }

    /** What writers killed outright left; the lock says no writer is at work. */
    static void removePartials(Path dir, String name) throws IOException {
        // Files.createTempFile(dir, name + ".", suffix) names them NAME.DIGITS.SUFFIX: not another archive's, whose
        // name may start with this one's.
        Pattern partials = Pattern.compile(Pattern.quote(name) + "\\.\\d+\\.(tmp|classes)");
        try (DirectoryStream<Path> left = Files.newDirectoryStream(
                dir, p -> partials.matcher(p.getFileName().toString()).matches())) {
            for (Path partial : left) {
                Files.deleteIfExists(partial);
            }
        }
    }
}

package org.coopcloud.recipeci.internal.jvm;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * Writes a class-data archive: the classes this JVM has loaded as a class list, then the JDK's own
 * {@code java -Xshare:dump} over the class path's leading jars into a file of its own, moved over the archive when
 * complete (a JVM that mapped the old one keeps it). One writer at a time per archive: a non-blocking lock on
 * {@code FILE.lock}; the writer removes what writers killed outright left. The archive's directory must be this
 * user's alone: a JVM maps what it finds there.
 */
final class ArchiveWriter {
    /** A dump takes a few seconds of CPU on a two-core host; a stuck one is killed with its group. */
    private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(2);
    /**
     * A line of {@code VM.class_hierarchy}: the tree's indent, the class name, "/", then the loader ("null" for the
     * boot loader, else its address) — for a hidden class (a lambda's, say), its own address and "/" come first.
     */
    private static final Pattern HIERARCHY_LINE = Pattern.compile("^[|\\s-]*([\\w.$]+)/(0x\\p{XDigit}+/)?");

    private ArchiveWriter() {}

    /** Where what {@code archive} was made from is kept. */
    static Path sourceOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".source");
    }

    /**
     * Writes {@code archive} from {@code jars}, and {@code source} beside it.
     *
     * @return false when another process is writing it (this one then leaves it alone)
     * @throws RecipeCiException when it cannot be written
     * @throws org.coopcloud.recipeci.internal.process.CommandInterruptedException when interrupted; the dump is killed
     */
    static boolean write(Path archive, List<Path> jars, String source, CommandRunner runner) {
        Path dir = archive.getParent();
        String name = archive.getFileName().toString();
        try {
            Files.createDirectories(dir);
            requireOwnDirectory(dir);
            try (FileChannel channel = FileChannel.open(
                            dir.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.tryLock()) {
                if (held == null) {
                    return false;
                }
                removePartials(dir, name);
                Path classList = Files.createTempFile(dir, name + ".", ".classes");
                Path partial = Files.createTempFile(dir, name + ".", ".tmp");
                Path partialSource = Files.createTempFile(dir, name + ".", ".tmp");
                try {
                    Files.write(classList, classList(loadedClasses()));
                    CommandResult dump = runner.run(Command.of(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xshare:dump",
                                    "-XX:SharedClassListFile=" + classList,
                                    "-XX:SharedArchiveFile=" + partial,
                                    "-cp",
                                    jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)))
                            .withTimeout(DUMP_TIMEOUT));
                    if (!dump.ok() || Files.size(partial) == 0) {
                        throw new RecipeCiException("java -Xshare:dump failed: " + dump.failure());
                    }
                    Files.writeString(partialSource, source);
                    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(
                            partialSource,
                            sourceOf(archive),
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    return true;
                } finally {
                    for (Path left : List.of(classList, partial, partialSource)) {
                        Files.deleteIfExists(left);
                    }
                }
            }
        } catch (IOException e) {
            throw new RecipeCiException(
                    "cannot write the class-data archive " + archive + ": " + e + " — check that its directory is"
                            + " writable, or name another with -DclassDataArchive=FILE",
                    e);
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

    /** A directory another user could write to could hand this user's later JVMs an archive of its making. */
    private static void requireOwnDirectory(Path dir) throws IOException {
        String owner = Files.getOwner(dir).getName();
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        if (!owner.equals(System.getProperty("user.name"))
                || permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new RecipeCiException(
                    "the class-data archive's directory " + dir + " is not this user's alone (owner "
                            + owner + ", " + PosixFilePermissions.toString(permissions)
                            + "): a JVM maps what it finds there — name a directory of your own with -DclassDataArchive=FILE");
        }
    }

    /** What writers killed outright left; the lock says no writer is at work. */
    private static void removePartials(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(name + ".") && (n.endsWith(".tmp") || n.endsWith(".classes"));
        })) {
            for (Path partial : left) {
                Files.deleteIfExists(partial);
            }
        }
    }
}

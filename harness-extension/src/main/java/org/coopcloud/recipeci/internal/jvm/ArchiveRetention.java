package org.coopcloud.recipeci.internal.jvm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.internal.os.NativePosix;

/**
 * Keeps a directory of class-data archives from growing without end: each harness version and JDK gets an archive of
 * its own (tens of MB), and the run that writes a new one does not know which others are still wanted. Another
 * archive of the harness's naming ({@code recipe-ci-*.jsa}, with the {@code .source} the writer keeps beside it) is
 * removed, with its {@code .source}, {@code .classes}, {@code .lock} and what killed writers left of it, when
 *
 * <ul>
 *   <li>a file it was made from is gone or changed (the JDK's module image, a jar) and no run has marked it used for
 *       {@link #UNMAPPABLE_AFTER}: no run here will map it again. The grace keeps the archive of a second view of the
 *       same directory (another container, another host on a shared home), whose runs see other files and mark it; or
 *   <li>no run has marked it used for {@link #UNUSED}.
 * </ul>
 *
 * A run that maps its archive marks it used at most once a day (the time of its {@code .source}); writing one marks
 * it too. A {@code recipe-ci-*.jsa} with no record beside it that is as old is removed as well. The look happens when
 * a run writes an archive and when a run marks its own, so about once a day on a host that writes none. One whose lock
 * another process holds (a writer at work) is left for the next look. Files of other names, and the archive the run
 * itself names, are never touched here.
 */
final class ArchiveRetention {
    /** An archive no run marked used for this long is removed; the next run that wants it writes it again. */
    static final Duration UNUSED = Duration.ofDays(45);
    /** An archive made from files that are gone or changed is removed once no run marked it used for this long. */
    static final Duration UNMAPPABLE_AFTER = Duration.ofDays(7);
    /** How often a run that maps an archive records that (the time of its {@code .source}). */
    static final Duration MARK_EVERY = Duration.ofDays(1);
    /** A record is a few hundred lines; anything far larger is not one the writer wrote. */
    private static final long RECORD_LIMIT = 1 << 20;

    private static final String SOURCE_SUFFIX = ".jsa.source";
    /** The harness's own naming: what {@code recipeci.class-data-archive} is under Maven. */
    private static final Pattern OURS = Pattern.compile("recipe-ci-.+\\.jsa");
    /** A line of a {@code .source} naming a file: its absolute path, then its size and time, or that it was gone. */
    private static final Pattern FILE_LINE = Pattern.compile("(/.*) (?:(\\d+ -?\\d+)|gone)");

    private ArchiveRetention() {}

    /**
     * Records that this run mapped {@code archive}, unless a run did so within {@link #MARK_EVERY} (a time ahead of
     * now by more than that, from a clock set back, is recorded again).
     *
     * @return whether it recorded it (and so whether the others are due a look)
     */
    static boolean markUsed(Path archive, Instant now) {
        Path source = ArchiveWriter.sourceOf(archive);
        try {
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Instant marked = Files.getLastModifiedTime(source).toInstant();
            if (marked.isAfter(now.minus(MARK_EVERY)) && marked.isBefore(now.plus(MARK_EVERY))) {
                return false;
            }
            Files.setLastModifiedTime(source, FileTime.from(now));
            return true;
        } catch (IOException e) {
            return false; // not this user's file, or a read-only directory: nothing to record
        }
    }

    /**
     * Removes the other archives of {@code kept}'s directory that are outdated or that no run used for
     * {@link #UNUSED}.
     *
     * @return each one removed, with why
     */
    static List<String> prune(Path kept, Instant now) {
        Path dir = kept.toAbsolutePath().getParent();
        List<String> removed = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir) || !ownDirectory(dir)) {
            return removed;
        }
        String keptName = kept.getFileName().toString();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> {
            String name = p.getFileName().toString();
            String archive = name.endsWith(SOURCE_SUFFIX) ? archiveName(name) : name;
            return OURS.matcher(archive).matches() && !archive.equals(keptName);
        })) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Path archive = dir.resolve(name.endsWith(SOURCE_SUFFIX) ? archiveName(name) : name);
                Path source = ArchiveWriter.sourceOf(archive);
                if (!name.endsWith(SOURCE_SUFFIX) && Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // looked at by its record
                }
                if (whyRemovable(archive, now).isPresent()) {
                    removeUnlessBusy(archive, now).ifPresent(removed::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Left for the next look.
        }
        return removed;
    }

    private static String archiveName(String sourceName) {
        return sourceName.substring(0, sourceName.length() - ".source".length());
    }

    /** Why {@code archive} (and its record) is of no more use; empty when it may still be. */
    static Optional<String> whyRemovable(Path archive, Instant now) {
        Path source = ArchiveWriter.sourceOf(archive);
        try {
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                // An archive whose record was removed (to have it written again) and no run wrote since.
                return Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS) && unmarkedFor(archive, UNUSED, now)
                        ? Optional.of("no record of what it was made from, and no run wrote it for " + UNUSED.toDays()
                                + " days")
                        : Optional.empty();
            }
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) || Files.size(source) > RECORD_LIMIT) {
                return Optional.empty();
            }
            String record = Files.readString(source);
            if (!writersRecord(record)) {
                return Optional.empty(); // not of the writer's making: not the pruner's either
            }
            Optional<String> unmappable = unmappable(record);
            if (unmappable.isPresent() && unmarkedFor(source, UNMAPPABLE_AFTER, now)) {
                return unmappable.map(why -> "outdated: " + why);
            }
            if (unmarkedFor(source, UNUSED, now)) {
                return Optional.of("no run used it for " + UNUSED.toDays() + " days");
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean unmarkedFor(Path file, Duration age, Instant now) throws IOException {
        return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)
                .toInstant()
                .isBefore(now.minus(age));
    }

    /**
     * A file the archive was made from that is gone or changed since, as {@code source} (a {@code .source}'s text)
     * records them; empty when all are as they were, or when the text is not a {@code .source} the writer wrote. Only
     * lines of an absolute path, a size and a time (or "gone") name files, as {@link ClassDataArchive#describe} writes
     * them; any other line is not looked at.
     */
    static Optional<String> unmappable(String source) {
        if (!writersRecord(source)) {
            return Optional.empty();
        }
        for (String line : source.split("\n")) {
            Matcher m = FILE_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            try {
                Path file = Path.of(m.group(1));
                if (ClassDataArchive.describe(file).equals(line)) {
                    continue;
                }
                if (Files.notExists(file)) {
                    return Optional.of(file + " is gone");
                }
                if (!Files.exists(file)) {
                    continue; // cannot tell (a directory on the way this user may not read): not a change
                }
                return Optional.of(
                        m.group(2) == null
                                ? file + " is there now, and was not when it was made"
                                : file + " changed since");
            } catch (RuntimeException e) {
                // A line that does not name a path this system can look at.
            }
        }
        return Optional.empty();
    }

    private static boolean writersRecord(String source) {
        return source.startsWith(ClassDataArchive.RECORD_START);
    }

    /**
     * Removes the archive's files while holding its lock, and the lock file last: every locker checks, once it holds
     * the lock, that the path still names the file it locked ({@link ArchiveWriter#acquire}), and opens it again if
     * not. The reasons are looked at again under the lock: a writer may have written it meanwhile.
     *
     * @return what was removed and why, for the run's log; empty when it was left
     */
    private static Optional<String> removeUnlessBusy(Path archive, Instant now) {
        try {
            int lock = ArchiveWriter.tryLock(archive);
            if (lock < 0) {
                return Optional.empty();
            }
            try {
                boolean hadArchive = Files.exists(archive, LinkOption.NOFOLLOW_LINKS);
                boolean hadRecord = Files.exists(ArchiveWriter.sourceOf(archive), LinkOption.NOFOLLOW_LINKS);
                Optional<String> why = whyRemovable(archive, now);
                if (why.isEmpty() && (hadArchive || hadRecord)) {
                    return Optional.empty();
                }
                // Removable, or nothing of it left but what this look (another pruner's, a moment ago) found or made.
                ArchiveWriter.removePartials(
                        archive.getParent(), archive.getFileName().toString());
                ArchiveWriter.removeFiles(archive);
                Files.deleteIfExists(ArchiveWriter.lockFile(archive));
                return why.map(reason ->
                        archive.getFileName() + (hadArchive ? "" : ", its record only") + " (" + reason + ")");
            } finally {
                NativePosix.close(lock);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean ownDirectory(Path dir) {
        try {
            ArchiveWriter.requireOwnDirectory(dir);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

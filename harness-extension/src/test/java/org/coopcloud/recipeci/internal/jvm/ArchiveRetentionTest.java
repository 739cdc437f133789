package org.coopcloud.recipeci.internal.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.coopcloud.recipeci.internal.os.NativePosix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveRetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir
    Path root;

    private Path dir;
    private Path jar;
    private Path kept;

    @BeforeEach
    void aDirectoryOfArchives() throws IOException {
        dir = Files.createDirectory(
                root.resolve("class-data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        jar = Files.writeString(root.resolve("lib with space.jar"), "jar");
        kept = archive("recipe-ci-0.2.0-java17.0.16.jsa", NOW);
    }

    @Test
    void anArchiveAJarOfWhichChangedIsRemovedWithItsFilesOnceNoRunMarkedItForAWeek() throws IOException {
        Path old = archive("recipe-ci-0.1.0-java17.0.15.jsa", NOW.minus(Duration.ofDays(8)));
        Path killedWriters = Files.writeString(dir.resolve("recipe-ci-0.1.0-java17.0.15.jsa.4711.tmp"), "part");
        // Another archive's, whose name starts with the removed one's: its writer may be at work under its own lock.
        Path anothersPartial =
                Files.writeString(dir.resolve("recipe-ci-0.1.0-java17.0.15.jsa.old.jsa.4711.tmp"), "part");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0));

        List<String> removed = ArchiveRetention.prune(kept, NOW);

        assertThat(removed).containsExactly(old.getFileName() + " (outdated: " + jar + " changed since)");
        assertThat(group(old)).noneMatch(Files::exists);
        assertThat(killedWriters).as("what a writer killed outright left of it").doesNotExist();
        assertThat(anothersPartial).exists();
        assertThat(group(kept))
                .as("the archive the run names is not the pruner's: its own run decides about it")
                .allMatch(Files::exists);
    }

    @Test
    void anUnmappableArchiveThatARunMarkedThisWeekIsKept() throws IOException {
        // Another view of the same directory (another container, or a host sharing the home) sees other files, and
        // its runs map this archive and mark it.
        Path otherView = archive("recipe-ci-0.1.0-java17.0.15.jsa", NOW.minus(Duration.ofDays(2)));
        Files.delete(jar);

        assertThat(ArchiveRetention.prune(kept, NOW)).isEmpty();
        assertThat(group(otherView)).allMatch(Files::exists);

        assertThat(ArchiveRetention.prune(kept, NOW.plus(Duration.ofDays(6))))
                .containsExactly(otherView.getFileName() + " (outdated: " + jar + " is gone)");
    }

    @Test
    void anArchiveNoRunUsedFor45DaysIsRemovedAndOneUsedSinceIsKept() throws IOException {
        Path unused = archive("recipe-ci-0.1.0-java17.0.15.jsa", NOW.minus(Duration.ofDays(46)));
        Path usedLately = archive("recipe-ci-0.1.1-java17.0.15.jsa", NOW.minus(Duration.ofDays(44)));

        assertThat(ArchiveRetention.prune(kept, NOW))
                .containsExactly(unused.getFileName() + " (no run used it for 45 days)");
        assertThat(group(unused)).noneMatch(Files::exists);
        assertThat(group(usedLately)).allMatch(Files::exists);
    }

    @Test
    void aRecordWithoutItsArchiveAndAnArchiveWithoutItsRecordGoTooOnceOld() throws IOException {
        Path failed = archive("recipe-ci-0.1.0-java17.0.15.jsa", NOW.minus(Duration.ofDays(46)));
        Files.delete(failed); // a dump that failed leaves only its record
        Path unrecorded = archive("recipe-ci-0.1.1-java17.0.15.jsa", NOW);
        Files.delete(ArchiveWriter.sourceOf(unrecorded)); // removed by hand, to have it written again
        Files.setLastModifiedTime(unrecorded, FileTime.from(NOW.minus(Duration.ofDays(46))));
        Path unrecordedLately = archive("recipe-ci-0.1.2-java17.0.15.jsa", NOW);
        Files.delete(ArchiveWriter.sourceOf(unrecordedLately));

        assertThat(ArchiveRetention.prune(kept, NOW))
                .containsExactlyInAnyOrder(
                        failed.getFileName() + ", its record only (no run used it for 45 days)",
                        unrecorded.getFileName()
                                + " (no record of what it was made from, and no run wrote it for 45 days)");
        assertThat(group(failed)).noneMatch(Files::exists);
        assertThat(group(unrecorded)).noneMatch(Files::exists);
        assertThat(unrecordedLately).exists();
    }

    @Test
    void aFailedDumpsRecordGoesOnceItsFilesChangedAndNoRunMarkedItForAWeek() throws IOException {
        Path failed = dir.resolve("recipe-ci-0.1.0-java17.0.15.jsa");
        Files.writeString(
                ArchiveWriter.sourceOf(failed),
                new ClassDataArchive(failed, false, List.of(jar)).source() + "failed=the dump broke\n");
        Files.setLastModifiedTime(ArchiveWriter.sourceOf(failed), FileTime.from(NOW.minus(Duration.ofDays(8))));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0));

        assertThat(ArchiveRetention.prune(kept, NOW))
                .containsExactly(failed.getFileName() + ", its record only (outdated: " + jar + " changed since)");
        assertThat(group(failed)).noneMatch(Files::exists);
    }

    @Test
    void aWriterTakesTheLockOfTheFileThePathNamesAndWaitsOnlyBrieflyForAnotherHolder() throws IOException {
        Path archive = dir.resolve("recipe-ci-0.3.0-java17.0.16.jsa");
        int fds = openDescriptors();

        int held = ArchiveWriter.acquire(archive);
        assertThat(held).isNotNegative();
        try {
            assertThat(ArchiveWriter.acquire(archive))
                    .as("held by another open file: as by another process")
                    .isEqualTo(-1);
            assertThat(openDescriptors())
                    .as("a refused attempt closes what it opened")
                    .isEqualTo(fds + 1);
        } finally {
            NativePosix.close(held);
        }

        // A pruner removed the lock file while a writer held it: the next writer locks the file the path names now.
        int first = ArchiveWriter.acquire(archive);
        Files.delete(ArchiveWriter.lockFile(archive));
        int second = ArchiveWriter.acquire(archive);
        try {
            assertThat(second).isNotNegative();
            assertThat(NativePosix.sameFile(second, ArchiveWriter.lockFile(archive)))
                    .isTrue();
        } finally {
            NativePosix.close(first);
            NativePosix.close(second);
        }
        assertThat(openDescriptors()).isEqualTo(fds);
    }

    /**
     * This JVM's descriptors open on files of the test's directory: the JVM's other threads (JIT, class loading, the
     * test framework) open and close descriptors of their own meanwhile.
     */
    private int openDescriptors() throws IOException {
        Path real = dir.toRealPath();
        int count = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(real)) {
                        count++;
                    }
                } catch (IOException e) {
                    // closed since the listing
                }
            }
        }
        return count;
    }

    @Test
    void filesOfOtherNamesOrWithoutTheWritersRecordAreNeverTouched() throws IOException {
        Path foreign = Files.writeString(dir.resolve("app.jsa"), "archive");
        Files.writeString(dir.resolve("app.jsa.source"), "java.home=/gone\n/gone/lib/modules 1 1\n");
        Files.setLastModifiedTime(dir.resolve("app.jsa.source"), FileTime.fromMillis(0));
        Path notAWritersRecord = Files.writeString(dir.resolve("recipe-ci-0.0.2-java11.jsa"), "archive");
        Files.writeString(dir.resolve("recipe-ci-0.0.2-java11.jsa.source"), "/gone/lib/modules 1 1\n");
        Files.setLastModifiedTime(dir.resolve("recipe-ci-0.0.2-java11.jsa.source"), FileTime.fromMillis(0));
        Path elsewhere =
                Files.writeString(root.resolve("elsewhere.source"), "java.home=/gone\n/gone/lib/modules 1 1\n");
        Files.setLastModifiedTime(elsewhere, FileTime.fromMillis(0));
        Path linked = Files.writeString(dir.resolve("recipe-ci-0.0.3-java11.jsa"), "archive");
        Files.createSymbolicLink(dir.resolve("recipe-ci-0.0.3-java11.jsa.source"), elsewhere);

        assertThat(ArchiveRetention.prune(kept, NOW)).isEmpty();
        assertThat(List.of(foreign, notAWritersRecord, linked, elsewhere)).allMatch(Files::exists);
    }

    @Test
    void anArchiveWhoseLockAnotherProcessHoldsIsLeftForTheNextLook() throws IOException {
        Path busy = archive("recipe-ci-0.1.0-java17.0.15.jsa", NOW.minus(Duration.ofDays(60)));
        int held = NativePosix.open(
                dir.resolve(busy.getFileName() + ".lock"), NativePosix.O_RDWR | NativePosix.O_CLOEXEC, 0600);
        assertThat(held).isNotNegative();
        try {
            // flock locks belong to an open file: this one conflicts with the pruner's own, as another process's would.
            assertThat(NativePosix.flock(held, NativePosix.LOCK_EX | NativePosix.LOCK_NB))
                    .isZero();

            assertThat(ArchiveRetention.prune(kept, NOW)).isEmpty();
            assertThat(group(busy)).allMatch(Files::exists);
        } finally {
            NativePosix.close(held);
        }
        assertThat(ArchiveRetention.prune(kept, NOW)).hasSize(1);
    }

    @Test
    void aDirectoryOthersMayWriteToIsNotPruned() throws IOException {
        Path unused = archive("recipe-ci-0.1.0-java17.0.15.jsa", NOW.minus(Duration.ofDays(60)));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(ArchiveRetention.prune(kept, NOW)).isEmpty();
        assertThat(unused).exists();
    }

    @Test
    void aRunMarksItsArchiveUsedAtMostOnceADay() throws IOException {
        Path source = ArchiveWriter.sourceOf(kept);
        Files.setLastModifiedTime(source, FileTime.from(NOW.minus(Duration.ofHours(23))));
        assertThat(ArchiveRetention.markUsed(kept, NOW)).isFalse();
        assertThat(Files.getLastModifiedTime(source).toInstant()).isEqualTo(NOW.minus(Duration.ofHours(23)));

        Files.setLastModifiedTime(source, FileTime.from(NOW.minus(Duration.ofHours(25))));
        assertThat(ArchiveRetention.markUsed(kept, NOW)).isTrue();
        assertThat(Files.getLastModifiedTime(source).toInstant()).isEqualTo(NOW);

        Files.setLastModifiedTime(source, FileTime.from(NOW.plus(Duration.ofDays(3))));
        assertThat(ArchiveRetention.markUsed(kept, NOW))
                .as("a mark ahead of now, from a clock set back, would keep it from being marked for days")
                .isTrue();

        assertThat(ArchiveRetention.markUsed(dir.resolve("recipe-ci-none.jsa"), NOW))
                .isFalse();
    }

    @Test
    void theWritersRecordSaysWhichFileChanged() throws IOException {
        String source = new ClassDataArchive(kept, false, List.of(jar)).source() + "loaded-classes=10\n";
        assertThat(ArchiveRetention.unmappable(source)).isEmpty();
        assertThat(ArchiveRetention.unmappable(source.replace("java.vm.version=", "failed=x 1 2\njava.vm.version=")))
                .as("a line that is not an absolute path with a size and a time names no file")
                .isEmpty();
        assertThat(ArchiveRetention.unmappable(source + "option=-Xmx 512 1024\n/bad\0path 1 1\n"))
                .isEmpty();

        Files.writeString(jar, "a longer jar");
        assertThat(ArchiveRetention.unmappable(source)).contains(jar + " changed since");
        assertThat(ArchiveRetention.unmappable("java.home=/x\n" + root.resolve("absent") + " gone\n"))
                .as("gone when it was made and gone now: nothing changed")
                .isEmpty();
        assertThat(ArchiveRetention.unmappable("java.home=/x\n" + jar + " gone\n"))
                .contains(jar + " is there now, and was not when it was made");
        assertThat(ArchiveRetention.unmappable("not a record\n/x/lib/modules 1 1\n"))
                .isEmpty();
    }

    /** An archive of the writer's making from {@link #jar}, its record last marked at {@code used}. */
    private Path archive(String name, Instant used) throws IOException {
        Path archive = Files.writeString(dir.resolve(name), "archive");
        String source = new ClassDataArchive(archive, false, List.of(jar)).source() + "loaded-classes=10\n";
        Files.writeString(ArchiveWriter.sourceOf(archive), source);
        Files.setLastModifiedTime(ArchiveWriter.sourceOf(archive), FileTime.from(used));
        Files.writeString(ArchiveWriter.classListOf(archive), "java/lang/Object\n");
        Files.createFile(dir.resolve(name + ".lock"));
        return archive;
    }

    private List<Path> group(Path archive) {
        String name = archive.getFileName().toString();
        return List.of(
                archive, dir.resolve(name + ".source"), dir.resolve(name + ".classes"), dir.resolve(name + ".lock"));
    }
}

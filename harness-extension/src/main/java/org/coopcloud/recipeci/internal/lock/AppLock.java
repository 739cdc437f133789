package org.coopcloud.recipeci.internal.lock;

import static org.coopcloud.recipeci.internal.os.NativePosix.EWOULDBLOCK;
import static org.coopcloud.recipeci.internal.os.NativePosix.LOCK_EX;
import static org.coopcloud.recipeci.internal.os.NativePosix.LOCK_NB;
import static org.coopcloud.recipeci.internal.os.NativePosix.LOCK_UN;
import static org.coopcloud.recipeci.internal.os.NativePosix.O_CLOEXEC;
import static org.coopcloud.recipeci.internal.os.NativePosix.O_CREAT;
import static org.coopcloud.recipeci.internal.os.NativePosix.O_RDWR;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.os.NativePosix;

/**
 * An exclusive {@code flock(2)} on one lockfile per app domain: {@code <lock dir>/cc-ci-app-<domain>.lock}, the
 * path cc-ci uses, so a Python cc-ci and recipe-ci on one host serialise the same domain. The lock lives exactly as
 * long as the open file description: the kernel drops it when the process dies, however it dies.
 *
 * <p>Not {@code FileChannel.lock()}: that is an fcntl lock, which does not see flock holders and is silently
 * dropped when any other fd of the file is closed in the same process.
 */
public final class AppLock implements AutoCloseable {
    public static final String PREFIX = "cc-ci-app-";
    public static final String SUFFIX = ".lock";

    // Linux values (x86_64 and aarch64): recipe-ci runs on Linux swarm managers only.
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int ENOENT = 2;
    /** A janitor unlinks a lockfile once; this many in a row is not a race any more. */
    private static final int STALE_RETRIES = 1000;

    private final Path path;
    private int fd;

    private AppLock(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    public static Path lockFile(Path lockDir, AppDomain domain) {
        return lockDir.resolve(PREFIX + domain.value() + SUFFIX);
    }

    /** The domain a lockfile name belongs to, if it is one of ours. */
    public static Optional<String> domainOf(Path lockFile) {
        String name = lockFile.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name.length() > PREFIX.length() + SUFFIX.length()
                ? Optional.of(name.substring(PREFIX.length(), name.length() - SUFFIX.length()))
                : Optional.empty();
    }

    /**
     * Takes the domain's lock, waiting while another run holds it (logged once). The wait polls with
     * {@code LOCK_NB} so that an interrupt (SIGTERM, deadline) ends it at once. The lock directory must exist: the
     * run's setup checks it (a lock directory made here could be one no other run of the runner looks into).
     *
     * @throws LockInterruptedException when interrupted while waiting (the flag is set again)
     */
    public static AppLock acquire(Path lockDir, AppDomain domain, RunLog log) {
        Path path = lockFile(lockDir, domain);
        boolean announced = false;
        int held = 0;
        int stale = 0;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new LockInterruptedException(domain);
            }
            Probe probe = probe(path);
            switch (probe.outcome()) {
                case ACQUIRED:
                    AppLock lock = probe.lock().orElseThrow();
                    lock.touch();
                    return lock;
                case HELD:
                    // Said from the second poll on: a janitor's tidy holds a lockfile for microseconds, a run for
                    // the length of its run.
                    if (++held >= 2 && !announced) {
                        log.info(
                                "app lock: another run of " + domain + " is in flight — waiting for it (" + path + ")");
                        announced = true;
                    }
                    break;
                case STALE:
                    // A janitor unlinked the file we locked: retry on the live path at once. Over and over means the
                    // identity check cannot see the file at all (no /proc on a glibc without stat symbols): say so.
                    if (++stale > STALE_RETRIES) {
                        throw new RecipeCiException("cannot confirm that the app lockfile " + path + " is the file"
                                + " locked (" + probe.detail() + ", " + STALE_RETRIES + " times in a row) — check"
                                + " that /proc is mounted and that the lock directory holds plain files");
                    }
                    continue;
                case UNOPENABLE:
                    throw new RecipeCiException("cannot open the app lockfile " + path + ": " + probe.detail()
                            + " — check that recipeci.lock-dir is a writable directory");
                default:
                    throw new IllegalStateException(probe.outcome().name());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockInterruptedException(domain);
            }
        }
    }

    /**
     * Checks, before anything is created, that {@code lockDir} is a directory this process can make lockfiles in.
     * Nothing here creates it: a lock directory that does not exist is one no other run of this host looks into (a
     * typo, or a tmpfs not mounted yet), and locking there would prove nothing to anyone. The host's setup makes it
     * — {@code /run/lock} comes with the OS (systemd-tmpfiles), {@code scripts/local-swarm up} makes it where it is
     * missing, and a test makes its own.
     *
     * @throws RecipeConfigurationException saying what is wrong and how to fix it
     */
    public static void requireLockDirectory(Path lockDir) {
        String fix = " — point recipeci.lock-dir (RECIPECI_LOCK_DIR) at the directory every run of this host locks"
                + " its apps in (the default /run/lock, shared with cc-ci), or create it first";
        if (!Files.exists(lockDir)) {
            throw new RecipeConfigurationException("the lock directory " + lockDir + " does not exist" + fix);
        }
        if (!Files.isDirectory(lockDir)) {
            throw new RecipeConfigurationException("the lock directory " + lockDir + " is not a directory" + fix);
        }
        if (!Files.isWritable(lockDir)) {
            throw new RecipeConfigurationException("the lock directory " + lockDir + " is not writable (read-only,"
                    + " or not this user's): app lockfiles cannot be made in it" + fix);
        }
    }

    /** What one non-blocking attempt on a lockfile found. */
    public enum Outcome {
        /** Locked, and the locked inode is the one the path names. */
        ACQUIRED,
        /** Another open file description holds it: a live run. */
        HELD,
        /** Locked, but the path was unlinked or replaced meanwhile: the lock protects nothing (released again). */
        STALE,
        /** The file cannot be opened (a directory in its place, permissions, missing dir). */
        UNOPENABLE,
        /** There is no such file ({@link #probeExisting} only: it makes none). */
        ABSENT
    }

    public record Probe(Outcome outcome, Optional<AppLock> lock, String detail) {}

    /**
     * One {@code LOCK_EX|LOCK_NB} attempt on any lockfile, with the inode identity check after success. Never
     * blocks, never throws.
     */
    public static Probe probe(Path path) {
        return probe(path, () -> {});
    }

    /**
     * {@link #probe(Path)} of a lockfile that exists, making none: {@link Outcome#ABSENT} when there is no file. The
     * janitor's first look, so that it never makes a lockfile for an app whose run has just ended.
     */
    public static Probe probeExisting(Path path) {
        return probe(path, false, () -> {});
    }

    /** {@link #probe(Path)} with a hook between open and flock, for the tests of the identity check. */
    static Probe probe(Path path, Runnable afterOpen) {
        return probe(path, true, afterOpen);
    }

    private static Probe probe(Path path, boolean create, Runnable afterOpen) {
        try (NativePosix.NativePath name = NativePosix.NativePath.of(path)) {
            int fd = NativePosix.open(name, O_RDWR | (create ? O_CREAT : 0) | O_CLOEXEC, 0644);
            if (fd < 0) {
                int errno = NativePosix.errno();
                return !create && errno == ENOENT
                        ? new Probe(Outcome.ABSENT, Optional.empty(), "no lockfile")
                        : new Probe(Outcome.UNOPENABLE, Optional.empty(), "errno " + errno);
            }
            afterOpen.run();
            if (NativePosix.flock(fd, LOCK_EX | LOCK_NB) != 0) {
                int errno = NativePosix.errno();
                NativePosix.close(fd);
                return errno == EWOULDBLOCK
                        ? new Probe(Outcome.HELD, Optional.empty(), "held")
                        : new Probe(Outcome.UNOPENABLE, Optional.empty(), "flock errno " + errno);
            }
            if (!NativePosix.sameFile(fd, name)) {
                NativePosix.close(fd);
                return new Probe(Outcome.STALE, Optional.empty(), "unlinked or replaced while locking");
            }
            return new Probe(Outcome.ACQUIRED, Optional.of(new AppLock(path, fd)), "acquired");
        }
    }

    /**
     * The janitor's tidy of one lockfile: unlinks it if no one holds it, under its own lock and identity check
     * ({@link #probeExisting}, which makes no file: one another janitor removed meanwhile is not made again). True
     * when this call unlinked it.
     */
    public static boolean unlinkIfFree(Path path) {
        return unlinkIfFree(path, () -> {});
    }

    /** {@link #unlinkIfFree(Path)} with a hook between open and flock, for the tests of the identity check. */
    static boolean unlinkIfFree(Path path, Runnable afterOpen) {
        Optional<AppLock> free = probe(path, false, afterOpen).lock();
        free.ifPresent(lock -> {
            try (lock) {
                lock.unlink();
            }
        });
        return free.isPresent();
    }

    public Path path() {
        return path;
    }

    /** The locked file descriptor (for the tests of its flags). */
    int fd() {
        return fd;
    }

    /** When the lock was last taken (the lockfile's mtime); feeds the janitor's long-held warning. */
    public static Optional<Instant> lockedSince(Path path) {
        try {
            return Optional.of(Files.getLastModifiedTime(path).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Removes the lockfile while still holding it, so no one can lock this inode and believe it is the live one. */
    public void unlink() {
        NativePosix.unlink(path);
    }

    public boolean isHeld() {
        return fd >= 0;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            // close(2) of the only descriptor releases the lock too; the explicit unlock says so for readers.
            NativePosix.flock(fd, LOCK_UN);
            NativePosix.close(fd);
            fd = -1;
        }
    }

    private void touch() {
        try {
            Files.setLastModifiedTime(path, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // The age only feeds a warning; a lock without a fresh mtime is still a lock.
        }
    }

    @Override
    public String toString() {
        return "AppLock[" + path + (fd >= 0 ? ", held" : ", released") + "]";
    }

    /** Interrupted while waiting for another run of the same domain. */
    public static final class LockInterruptedException extends RecipeCiException {
        private static final long serialVersionUID = 1L;

        LockInterruptedException(AppDomain domain) {
            super("interrupted while waiting for the app lock of " + domain);
        }
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.lock.AppLock;

/**
 * The host directory of one app's edge: the edge container's unix sockets ({@code 0.sock}, {@code 1.sock}, …) and
 * {@code owner.lock}, on which the harness holds an exclusive {@code flock(2)} for as long as the edge may live. The
 * edge waits for that lock to go (see {@code scripts/edge/edge.sh}), so when the harness dies, however it dies, the
 * kernel drops the lock and the edge removes itself. The directory is named after the app's stack (a hash: socket
 * paths must stay under the 108 bytes of {@code sun_path}), so whoever tears the app down finds it.
 */
final class EdgeDir implements AutoCloseable {
    static final String LOCK = "owner.lock";
    /** {@code sun_path} holds 108 bytes with its terminating NUL. */
    private static final int SOCKET_PATH_MAX = 107;
    /** How long making the directory goes on losing races with other runs removing the base before it gives up. */
    private static final Duration MAKE_RETRY_LIMIT = Duration.ofSeconds(2);

    private final Path path;
    private final AppLock lock;

    private EdgeDir(Path path, AppLock lock) {
        this.path = path;
        this.lock = lock;
    }

    /** Where the edge directory of {@code stack} lives under {@code base}. */
    static Path of(Path base, StackName stack) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(stack.value().getBytes(StandardCharsets.UTF_8));
            return base.resolve(HexFormat.of().formatHex(digest, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Makes the directory (mode 0700) and takes its lock, before any edge may start.
     *
     * @param sockets how many sockets the edge will make (their paths are checked against {@code sun_path})
     * @throws RecipeConfigurationException when the socket paths would be too long
     * @throws RecipeCiException when the directory cannot be made or its lock is held (a live edge of this app)
     */
    static EdgeDir claim(Path base, StackName stack, int sockets) {
        Path dir = of(base, stack);
        Path longest = dir.resolve((sockets - 1) + ".sock");
        if (longest.toString().getBytes(StandardCharsets.UTF_8).length > SOCKET_PATH_MAX) {
            throw new RecipeConfigurationException("the edge's socket path " + longest + " is longer than the "
                    + SOCKET_PATH_MAX + " bytes a unix socket path may have: set recipeci.lock-dir to a shorter"
                    + " directory (the edge directories live in <lock dir>/recipe-ci-edge)");
        }
        try {
            makePrivate(base, dir);
        } catch (IOException e) {
            throw new RecipeCiException("cannot make the edge directory " + dir + " (" + e
                    + "): check that the lock directory is writable, and remove a stale " + dir
                    + " that no run holds");
        }
        AppLock.Probe probe = AppLock.probe(dir.resolve(LOCK));
        if (probe.lock().isEmpty()) {
            throw new RecipeCiException("cannot lock " + dir.resolve(LOCK) + " (" + probe.detail() + "): the edge of "
                    + stack + " is" + " owned by another process");
        }
        return new EdgeDir(dir, probe.lock().get());
    }

    /**
     * Makes {@code dir} (mode 0700) in {@code base}. The last edge directory to close removes the base (a run leaves
     * nothing of its bridge), so another run may remove it between the two steps: then the base is made again.
     */
    private static void makePrivate(Path base, Path dir) throws IOException {
        // Each lost race means another run made progress (it closed its edge): retried for as long as that goes on,
        // within a bound, giving the other run the core between attempts.
        long giveUpAt = System.nanoTime() + MAKE_RETRY_LIMIT.toNanos();
        while (true) {
            try {
                // createDirectories itself fails when the base goes between its own mkdir and its check
                Files.createDirectories(base);
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                return;
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                boolean baseRemovedMeanwhile = e instanceof NoSuchFileException
                        || !Path.of(e.getFile()).equals(dir);
                if (!baseRemovedMeanwhile || System.nanoTime() > giveUpAt) {
                    throw e;
                }
                Thread.yield();
            }
        }
    }

    Path path() {
        return path;
    }

    /** The socket of the {@code n}-th target (from 0). */
    Path socket(int n) {
        return path.resolve(n + ".sock");
    }

    /**
     * Removes the sockets and the lock file while still holding the lock (no one can take a lock on a file that is
     * gone and believe it is the live one), then releases it and removes the directory. Call after the edge is gone.
     */
    @Override
    public void close() {
        IOException failed = null;
        try {
            deleteSockets(path);
        } catch (IOException e) {
            failed = e;
        }
        lock.unlink();
        lock.close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            failed = failed == null ? e : failed;
        }
        removeBaseIfEmpty(path.getParent());
        if (failed != null) {
            throw new RecipeCiException("cannot remove the edge directory " + path + ": " + failed, failed);
        }
    }

    /**
     * Removes the edge directory of an app whose run is gone. Its lock must be free: a held one means a live edge.
     *
     * @return why it stays, when it does
     */
    static Optional<String> removeOrphan(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        if (Files.exists(dir.resolve(LOCK))) {
            AppLock.Probe probe = AppLock.probe(dir.resolve(LOCK));
            if (probe.lock().isEmpty()) {
                return Optional.of("its " + LOCK + " is held (" + probe.detail() + ")");
            }
            try (AppLock held = probe.lock().get()) {
                deleteSockets(dir);
                held.unlink();
            } catch (IOException e) {
                return Optional.of("cannot remove its sockets: " + e.getMessage());
            }
        }
        try {
            deleteSockets(dir);
            Files.deleteIfExists(dir);
            removeBaseIfEmpty(dir.getParent());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot remove it: " + e.getMessage());
        }
    }

    /** The base of the edge directories goes with its last directory: a run leaves nothing of its bridge. */
    private static void removeBaseIfEmpty(Path base) {
        try {
            Files.deleteIfExists(base);
        } catch (IOException e) {
            // Not empty (another run's edge), or gone already: either way it is not this run's to remove.
        }
    }

    private static void deleteSockets(Path dir) throws IOException {
        try (DirectoryStream<Path> sockets = Files.newDirectoryStream(dir, "*.sock")) {
            for (Path socket : sockets) {
                Files.deleteIfExists(socket);
            }
        }
    }
}

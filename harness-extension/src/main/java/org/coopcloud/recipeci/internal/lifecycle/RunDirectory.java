package org.coopcloud.recipeci.internal.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.lock.AppLock;

/**
 * The directory of one run ({@code <runs>/<run-id>}), claimed by one process with a {@code flock(2)} held for the
 * process's life ({@code owner.pid} names it for humans). A second live process with the same run id is refused
 * before it writes anything; a directory left by a dead process is reused. Run-scoped state is keyed by run id + pid, never by app
 * domain: two runs of one domain must not share it.
 */
public final class RunDirectory {
    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** Directories this process claimed; their owner locks stay held until the process ends. */
    private static final Map<Path, AppLock> CLAIMED = new ConcurrentHashMap<>();

    /**
     * Claims {@code dir} for this process with a {@code flock(2)} on {@code <dir>/.owner.lock}, held until the
     * process ends (the kernel drops it however the process dies). Claiming again in the same process is a no-op.
     *
     * @throws RecipeConfigurationException when another live process holds it
     */
    public static RunDirectory claim(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        if (CLAIMED.containsKey(key)) {
            return new RunDirectory(dir);
        }
        synchronized (CLAIMED) {
            if (CLAIMED.containsKey(key)) {
                return new RunDirectory(dir);
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new RecipeConfigurationException(
                        "cannot use the run directory " + dir + ": " + e.getMessage()
                                + " — set recipeci.runs-dir to a writable directory",
                        e);
            }
            AppLock.Probe probe = AppLock.probe(dir.resolve(".owner.lock"));
            switch (probe.outcome()) {
                case ACQUIRED -> CLAIMED.put(key, probe.lock().orElseThrow());
                case HELD ->
                    throw new RecipeConfigurationException("run directory " + dir + " belongs to the live"
                            + " process "
                            + readPid(dir.resolve("owner.pid"))
                                    .map(String::valueOf)
                                    .orElse("(unknown)")
                            + ": give this run its own id (recipeci.run-id) or wait for that one");
                default ->
                    throw new RecipeConfigurationException("cannot lock the run directory " + dir + " ("
                            + probe.detail() + ") — set recipeci.runs-dir to a writable directory");
            }
            try {
                Files.writeString(
                        dir.resolve("owner.pid"), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RecipeConfigurationException(
                        "cannot write in the run directory " + dir + ": " + e.getMessage(), e);
            }
            return new RunDirectory(dir);
        }
    }

    public Path path() {
        return dir;
    }

    /** A fresh (emptied) subdirectory, e.g. for a recipe checkout. */
    public Path fresh(String first, String... more) {
        Path sub = dir.resolve(Path.of(first, more));
        try {
            if (Files.exists(sub)) {
                try (Stream<Path> paths = Files.walk(sub)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return sub;
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot clear " + sub + ": " + e.getMessage(), e);
        }
    }

    /** A run-scoped state file: {@code state/<name>-<run-id>-<pid>}. */
    public Path stateFile(String name) {
        return dir.resolve("state")
                .resolve(name + "-" + dir.getFileName() + "-"
                        + ProcessHandle.current().pid());
    }

    private static Optional<Long> readPid(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.matches("\\d+") ? Optional.of(Long.parseLong(text)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

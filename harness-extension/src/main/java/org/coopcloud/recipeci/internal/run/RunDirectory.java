package org.coopcloud.recipeci.internal.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.lock.AppLock;

/**
 * The directory of one run ({@code <runs>/<run-id>}), claimed by one run with a {@code flock(2)} held until the run
 * ends ({@code owner.pid} names it for humans). A second live process with the same run id is refused
 * before it writes anything; a directory left by a dead process is reused. Run-scoped state is keyed by run id + pid, never by app
 * domain: two runs of one domain must not share it.
 */
public final class RunDirectory implements AutoCloseable {
    private final Path dir;
    private final AppLock owner;

    private RunDirectory(Path dir, AppLock owner) {
        this.dir = dir;
        this.owner = owner;
    }

    /**
     * Claims {@code dir} for this run with a {@code flock(2)} on {@code <dir>/.owner.lock}, held until
     * {@link #close()} or the process ends (the kernel drops it however the process dies).
     *
     * @throws RecipeConfigurationException when another live run holds it (also one in this process)
     */
    public static RunDirectory claim(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RecipeConfigurationException(
                    "cannot use the run directory " + dir + ": " + e.getMessage()
                            + " — set recipeci.runs-dir to a writable directory",
                    e);
        }
        AppLock.Probe probe = AppLock.probe(dir.resolve(".owner.lock"));
        AppLock owner =
                switch (probe.outcome()) {
                    case ACQUIRED -> probe.lock().orElseThrow();
                    case HELD ->
                        throw new RecipeConfigurationException("run directory " + dir + " belongs to the live process "
                                + readPid(dir.resolve("owner.pid"))
                                        .map(String::valueOf)
                                        .orElse("(unknown)")
                                + ": give this run its own id (recipeci.run-id) or wait for that one");
                    default ->
                        throw new RecipeConfigurationException("cannot lock the run directory " + dir + " ("
                                + probe.detail() + ") — set recipeci.runs-dir to a writable directory");
                };
        try {
            Files.writeString(dir.resolve("owner.pid"), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            owner.close();
            throw new RecipeConfigurationException(
                    "cannot write in the run directory " + dir + ": " + e.getMessage(), e);
        }
        return new RunDirectory(dir, owner);
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

    /** Gives the directory up: another run may claim it now. */
    @Override
    public void close() {
        owner.close();
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

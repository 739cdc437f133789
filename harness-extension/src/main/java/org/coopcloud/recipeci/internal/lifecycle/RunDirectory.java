package org.coopcloud.recipeci.internal.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * The directory of one run ({@code <runs>/<run-id>}), claimed by one process: its {@code owner.pid} names the
 * harness pid. A second live process with the same run id is refused instead of writing into the first one's
 * reports; a directory left by a dead process is reused. Run-scoped state is keyed by run id + pid, never by app
 * domain: two runs of one domain must not share it.
 */
public final class RunDirectory {
    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    public static RunDirectory claim(Path dir) {
        long me = ProcessHandle.current().pid();
        Path owner = dir.resolve("owner.pid");
        try {
            Files.createDirectories(dir);
            Optional<Long> previous = readPid(owner);
            if (previous.isPresent()
                    && previous.get() != me
                    && ProcessHandle.of(previous.get())
                            .map(ProcessHandle::isAlive)
                            .orElse(false)) {
                throw new RecipeConfigurationException("run directory " + dir + " belongs to the live process "
                        + previous.get() + ": give this run its own id (recipeci.run-id) or wait for that one");
            }
            Files.writeString(owner, me + "\n", StandardCharsets.UTF_8);
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new RecipeConfigurationException(
                    "cannot use the run directory " + dir + ": " + e.getMessage()
                            + " — set recipeci.runs-dir to a writable directory",
                    e);
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

    private static Optional<Long> readPid(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        return text.matches("\\d+") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    }
}

package org.coopcloud.recipeci.recipes.hello;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@code docker} earlier in PATH than the real one, for a run started with {@link #path()} first: it passes every
 * command on, except that it can hold a command open — as a hung daemon does — while the test signals the run. Its
 * control is files in a directory of its own (the harness hands docker only PATH, HOME and DOCKER_* of its
 * environment, so nothing else could reach it):
 *
 * <ul>
 *   <li>{@code hold}: an extended regex over the command's arguments ({@code stack rm hell-…}); a command that matches
 *       waits until {@code release} exists, or {@code max} seconds pass, then runs;
 *   <li>{@code after}: an optional regex; {@code hold} applies only once a command matching it has run (the convergence
 *       poll after {@code stack deploy}, not the one before);
 *   <li>{@code held}: written when a command is held — the run is in the phase the test wants;
 *   <li>{@code fail}: a regex; a command that matches fails at once with {@code fail-message} (a daemon that is
 *       gone), and is noted in {@code failed}.
 * </ul>
 */
final class DockerShim {
    private final Path dir;
    private final Path control;

    private DockerShim(Path dir) {
        this.dir = dir.resolve("bin");
        this.control = dir.resolve("control");
    }

    /** A shim in {@code dir}, passing commands on to the docker found on this JVM's PATH. */
    static DockerShim in(Path dir) throws IOException, InterruptedException {
        DockerShim shim = new DockerShim(dir);
        Files.createDirectories(shim.dir);
        Files.createDirectories(shim.control);
        Path script = shim.dir.resolve("docker");
        String c = shim.control.toString();
        Files.writeString(
                script,
                """
                #!/bin/bash
                ctl='%s'
                args="$*"
                if [[ -f $ctl/fail ]] && [[ $args =~ $(<"$ctl/fail") ]]; then
                    echo "$args" >> "$ctl/failed"
                    cat "$ctl/fail-message" >&2
                    exit 1
                fi
                if [[ -f $ctl/after ]] && [[ $args =~ $(<"$ctl/after") ]]; then
                    touch "$ctl/seen-after"
                fi
                if [[ -f $ctl/hold ]] && [[ $args =~ $(<"$ctl/hold") ]] \\
                        && { [[ ! -f $ctl/after ]] || [[ -f $ctl/seen-after ]]; }; then
                    echo "$args" >> "$ctl/held"
                    max=$(cat "$ctl/max" 2>/dev/null || echo 86400)
                    end=$((SECONDS + max))
                    while [[ ! -f $ctl/release ]] && ((SECONDS < end)); do sleep 0.1; done
                fi
                exec '%s' "$@"
                """
                        .formatted(c, realDocker()),
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return shim;
    }

    /** The directory to put first in the run's PATH. */
    Path path() {
        return dir;
    }

    /** The run's PATH: the shim first. */
    String pathVariable() {
        return dir + ":" + System.getenv("PATH");
    }

    /** Holds the commands matching {@code regex} (after one matching {@code after}, if given), at most {@code max}. */
    void hold(String regex, String after, Duration max) throws IOException {
        Files.deleteIfExists(control.resolve("release"));
        Files.deleteIfExists(control.resolve("held"));
        Files.deleteIfExists(control.resolve("seen-after"));
        if (after == null) {
            Files.deleteIfExists(control.resolve("after"));
        } else {
            Files.writeString(control.resolve("after"), after);
        }
        Files.writeString(control.resolve("max"), Long.toString(max.toSeconds()));
        Files.writeString(control.resolve("hold"), regex);
    }

    /**
     * Fails every command matching {@code regex} at once with {@code message} on stderr and exit 1, as the docker CLI
     * does when its daemon is gone; {@link #heal} ends it.
     */
    void fail(String regex, String message) throws IOException {
        Files.writeString(control.resolve("fail-message"), message + "\n");
        Files.writeString(control.resolve("fail"), regex);
    }

    /** Whether a command has been failed. */
    boolean failed() {
        return Files.exists(control.resolve("failed"));
    }

    /** Lets every command through again. */
    void heal() throws IOException {
        Files.deleteIfExists(control.resolve("fail"));
    }

    /** Whether a command has been held. */
    boolean holding() {
        return Files.exists(control.resolve("held"));
    }

    /** Waits until a command is held, or the run ends ({@code alive} false) or the limit passes. */
    boolean awaitHolding(java.util.function.BooleanSupplier alive, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!holding() && alive.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        return holding();
    }

    /** Lets every held command go on, and holds nothing more. */
    void release() throws IOException {
        Files.deleteIfExists(control.resolve("hold"));
        Files.writeString(control.resolve("release"), "");
    }

    private static String realDocker() throws IOException, InterruptedException {
        Process which = new ProcessBuilder("sh", "-c", "command -v docker").start();
        String path = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        which.waitFor(10, TimeUnit.SECONDS);
        if (path.isEmpty()) {
            throw new IllegalStateException("no docker on PATH");
        }
        return path;
    }
}

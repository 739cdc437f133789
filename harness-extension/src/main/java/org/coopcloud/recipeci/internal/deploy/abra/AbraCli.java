package org.coopcloud.recipeci.internal.deploy.abra;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * Runs {@code abra app …} for one run. Every call carries the run's {@code ABRA_DIR} in its environment — the
 * directory is built and checked before the first call — and {@code --no-input}, so abra never waits for an answer;
 * every call has a timeout, and stdin from {@code /dev/null} (on a pseudo-terminal for the few calls that need one). Flags go before the positional arguments, which every abra version parses.
 */
final class AbraCli {
    static final String EXECUTABLE = "abra";
    static final String NO_INPUT = "--no-input";
    /** util-linux's {@code script}: a pseudo-terminal for the calls abra will not run without one. */
    static final String TERMINAL = "script";

    private final CommandRunner runner;
    private final AbraDir dir;
    private final Map<String, String> env;

    /** @param env extra environment for every abra child (tests put a fake abra first on PATH) */
    AbraCli(CommandRunner runner, AbraDir dir, Map<String, String> env) {
        this.runner = runner;
        this.dir = dir;
        this.env = Map.copyOf(env);
    }

    /**
     * One {@code abra app} call: its words ({@code deploy}, or {@code backup create}), flags and arguments, and
     * whether it runs on a pseudo-terminal.
     */
    record Call(
            List<String> words,
            List<String> flags,
            List<String> args,
            Duration timeout,
            Optional<Path> cwd,
            boolean terminal) {
        static Call of(String words, Duration timeout) {
            return new Call(List.of(words.split(" ")), List.of(), List.of(), timeout, Optional.empty(), false);
        }

        Call flags(String... more) {
            List<String> all = new ArrayList<>(flags);
            all.addAll(List.of(more));
            return new Call(words, all, args, timeout, cwd, terminal);
        }

        Call args(String... more) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of(more));
            return new Call(words, flags, all, timeout, cwd, terminal);
        }

        Call in(Path dir) {
            return new Call(words, flags, args, timeout, Optional.of(dir), terminal);
        }

        /**
         * On a pseudo-terminal that nobody types into ({@code script(1)}, stdin still {@code /dev/null}): cc-ci found
         * that abra's backup and restore fail without one. Output then comes as one stream, stderr included.
         */
        Call onTerminal() {
            return new Call(words, flags, args, timeout, cwd, true);
        }
    }

    /** Runs the call; never throws for abra's exit (the result says it). */
    CommandResult run(Call call) {
        return runner.run(command(call));
    }

    /** The command a call becomes, after the run's abra directory is built. */
    Command command(Call call) {
        dir.prepare();
        List<String> argv = new ArrayList<>(List.of(EXECUTABLE, "app"));
        argv.addAll(call.words());
        argv.addAll(call.flags());
        argv.add(NO_INPUT);
        argv.addAll(call.args());
        Map<String, String> vars = new LinkedHashMap<>(env);
        vars.put("ABRA_DIR", dir.path().toString());
        if (call.terminal()) {
            // script(1) takes one command line for a shell: every word is single-quoted, so nothing in it is
            // interpreted, and the shell is a plain sh whatever the host's SHELL is.
            argv = new ArrayList<>(
                    List.of(TERMINAL, "--quiet", "--return", "--command", shellQuoted(argv), "/dev/null"));
            vars.put("SHELL", "/bin/sh");
        }
        return Command.of(argv)
                .withEnv(vars)
                .withWorkDir(call.cwd().orElse(dir.path()))
                .withTimeout(call.timeout());
    }

    static String shellQuoted(List<String> argv) {
        return String.join(
                " ", argv.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    }

    /** The abra executable the children will run: the first on the PATH they get. */
    Optional<Path> executable() {
        return onPath(EXECUTABLE);
    }

    /** The {@code script(1)} that gives backup and restore their terminal, on the PATH the children get. */
    Optional<Path> terminal() {
        return onPath(TERMINAL);
    }

    private Optional<Path> onPath(String name) {
        for (String entry : searchPath().split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path candidate = Path.of(entry).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The PATH abra children get: the driver's own, else the JVM's. */
    String searchPath() {
        return env.getOrDefault(
                "PATH", Optional.ofNullable(System.getenv("PATH")).orElse(""));
    }
}

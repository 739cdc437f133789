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
 * every call has a timeout. Flags go before the positional arguments, which every abra version parses.
 */
final class AbraCli {
    static final String EXECUTABLE = "abra";
    static final String NO_INPUT = "--no-input";

    private final CommandRunner runner;
    private final AbraDir dir;
    private final Map<String, String> env;

    /** @param env extra environment for every abra child (tests put a fake abra first on PATH) */
    AbraCli(CommandRunner runner, AbraDir dir, Map<String, String> env) {
        this.runner = runner;
        this.dir = dir;
        this.env = Map.copyOf(env);
    }

    /** One {@code abra app} call: its words ({@code deploy}, or {@code backup create}), flags and arguments. */
    record Call(List<String> words, List<String> flags, List<String> args, Duration timeout, Optional<Path> cwd) {
        static Call of(String words, Duration timeout) {
            return new Call(List.of(words.split(" ")), List.of(), List.of(), timeout, Optional.empty());
        }

        Call flags(String... more) {
            List<String> all = new ArrayList<>(flags);
            all.addAll(List.of(more));
            return new Call(words, all, args, timeout, cwd);
        }

        Call args(String... more) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of(more));
            return new Call(words, flags, all, timeout, cwd);
        }

        Call in(Path dir) {
            return new Call(words, flags, args, timeout, Optional.of(dir));
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
        return Command.of(argv)
                .withEnv(vars)
                .withWorkDir(call.cwd().orElse(dir.path()))
                .withTimeout(call.timeout());
    }

    /** The abra executable the children will run: the first on the PATH they get. */
    Optional<Path> executable() {
        for (String entry : searchPath().split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path candidate = Path.of(entry).resolve(EXECUTABLE);
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

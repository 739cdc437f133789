package org.coopcloud.recipeci.internal.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An external command as data: argv (never a shell string), working directory, extra environment, optional stdin,
 * a timeout and the exit codes that count as success. Secrets go through {@link #stdin} or {@link #env}, never
 * argv: argv is logged.
 *
 * @param inheritedEnv when present, the only variables of the harness's environment the child inherits (besides
 *     its own {@link #env}); when empty, it inherits all but the harness's secrets
 */
public record Command(
        List<String> argv,
        Optional<Path> workDir,
        Map<String, String> env,
        Optional<byte[]> stdin,
        Duration timeout,
        Set<Integer> okExitCodes,
        Optional<Set<String>> inheritedEnv) {

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program name");
        }
        Objects.requireNonNull(workDir);
        env = Map.copyOf(env);
        Objects.requireNonNull(stdin);
        Objects.requireNonNull(timeout);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        okExitCodes = Set.copyOf(okExitCodes);
        inheritedEnv = inheritedEnv.map(Set::copyOf);
    }

    public Command(
            List<String> argv,
            Optional<Path> workDir,
            Map<String, String> env,
            Optional<byte[]> stdin,
            Duration timeout,
            Set<Integer> okExitCodes) {
        this(argv, workDir, env, stdin, timeout, okExitCodes, Optional.empty());
    }

    /** A command with a 60 s timeout that accepts exit code 0; refine it with the {@code with*} methods. */
    public static Command of(String... argv) {
        return new Command(
                List.of(argv), Optional.empty(), Map.of(), Optional.empty(), Duration.ofSeconds(60), Set.of(0));
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Optional.empty(), Map.of(), Optional.empty(), Duration.ofSeconds(60), Set.of(0));
    }

    public Command withTimeout(Duration newTimeout) {
        return new Command(argv, workDir, env, stdin, newTimeout, okExitCodes, inheritedEnv);
    }

    public Command withWorkDir(Path dir) {
        return new Command(argv, Optional.of(dir), env, stdin, timeout, okExitCodes, inheritedEnv);
    }

    public Command withEnv(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(extra);
        return new Command(argv, workDir, merged, stdin, timeout, okExitCodes, inheritedEnv);
    }

    /**
     * The child inherits only {@code names} of the harness's environment: for a tool that reads the environment as
     * data (docker interpolates compose files with it), so that nothing of the host's environment leaks in.
     */
    public Command withInheritedEnvOnly(Set<String> names) {
        return new Command(argv, workDir, env, stdin, timeout, okExitCodes, Optional.of(names));
    }

    public Command withStdin(String text) {
        return new Command(
                argv,
                workDir,
                env,
                Optional.of(text.getBytes(StandardCharsets.UTF_8)),
                timeout,
                okExitCodes,
                inheritedEnv);
    }

    public Command withOkExitCodes(Integer... codes) {
        return new Command(argv, workDir, env, stdin, timeout, Set.copyOf(Arrays.asList(codes)), inheritedEnv);
    }

    public Command withArgs(String... more) {
        List<String> all = new ArrayList<>(argv);
        all.addAll(List.of(more));
        return new Command(all, workDir, env, stdin, timeout, okExitCodes, inheritedEnv);
    }

    /** The argv as one line for logs and messages; safe to print because argv never carries secrets. */
    public String display() {
        return String.join(" ", argv.stream().map(Command::quoteIfNeeded).toList());
    }

    private static String quoteIfNeeded(String arg) {
        return arg.isEmpty() || arg.chars().anyMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"')
                ? "'" + arg.replace("'", "'\\''") + "'"
                : arg;
    }

    @Override
    public String toString() {
        return display();
    }
}

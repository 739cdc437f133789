package org.coopcloud.recipeci.internal.recipe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * git as the recipe code runs it: never paging, never prompting, always with a timeout. Local calls (the catalogue,
 * the run's own clone) get no credentials; remote calls (the source repository) get {@link GitCredentials}, and
 * their output is scrubbed of the token before anyone reads it, so neither a message nor an exception built from
 * it can carry the token.
 */
final class Git {
    static final Duration LOCAL_TIMEOUT = Duration.ofMinutes(2);

    private final CommandRunner runner;
    private final GitCredentials credentials;

    Git(CommandRunner runner, GitCredentials credentials) {
        this.runner = runner;
        this.credentials = credentials;
    }

    GitCredentials credentials() {
        return credentials;
    }

    CommandResult local(Path dir, String... args) {
        return runner.run(command(dir, LOCAL_TIMEOUT, List.of(), List.of(args))
                .withEnv(Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_PAGER", "cat")));
    }

    /** A call that talks to the source repository; what it printed comes back scrubbed. */
    CommandResult remote(Path dir, Duration timeout, String... args) {
        CommandResult result = runner.run(command(dir, timeout, credentials.options(), List.of(args))
                .withEnv(Map.of("GIT_PAGER", "cat"))
                .withEnv(credentials.environment()));
        return new CommandResult(
                result.command(),
                result.exitCode(),
                credentials.scrub(result.stdout()),
                credentials.scrub(result.stderr()),
                result.timedOut(),
                result.duration());
    }

    private static Command command(Path dir, Duration timeout, List<String> options, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "advice.detachedHead=false"));
        argv.addAll(options);
        argv.addAll(args);
        return Command.of(argv).withWorkDir(dir).withTimeout(timeout);
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandInterruptedException;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * The {@code docker} queries the swarm driver needs, as typed answers. Every call has a timeout. The read-only queries
 * (a stack's tasks, services and containers here, the listings and inspects of {@link DockerObjects}) go to the Engine
 * API over its unix socket when the client is local ({@link DockerEngine}), and to the CLI when it is not or the
 * engine call fails; a teardown's budget holds both.
 */
final class DockerCli {
    static final String STACK_LABEL = "com.docker.stack.namespace";
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandRunner runner;
    private final Map<String, String> env;
    private final Optional<DockerEngine> engine;
    private final Consumer<String> notice;
    private final AtomicBoolean fellBack = new AtomicBoolean();
    private final DockerObjects objects = new DockerObjects(this);

    /** @param env extra environment for every docker child (e.g. {@code DOCKER_HOST}) */
    DockerCli(CommandRunner runner, Map<String, String> env) {
        this(runner, env, DockerEngine.forClient(env), notice -> {});
    }

    /**
     * @param engine answers the hot read-only queries when present (see {@link DockerEngine#forClient})
     * @param notice told once when an engine call failed and the CLI answered instead
     */
    DockerCli(CommandRunner runner, Map<String, String> env, Optional<DockerEngine> engine, Consumer<String> notice) {
        this.runner = runner;
        this.env = Map.copyOf(env);
        this.engine = engine;
        this.notice = notice;
        // A teardown's budget holds the engine's calls as it holds docker's commands.
        engine.ifPresent(e -> e.capTimeouts(runner::cap));
    }

    /** The listings and inspects of docker objects, by the engine when it is usable. */
    DockerObjects objects() {
        return objects;
    }

    /** Whether the hot queries go to the Engine API now. */
    boolean viaEngine() {
        return engine.filter(DockerEngine::usable).isPresent();
    }

    /** The engine's answer, or the CLI's when there is no usable engine or it failed. */
    <T> T query(String what, Function<DockerEngine, T> api, Supplier<T> cli) {
        // A budget that gave up on docker (the teardown's, after a command timed out) gives up on its API too: the
        // CLI then answers at once as timed out, and the budget holds.
        Optional<DockerEngine> e = engine.filter(DockerEngine::usable).filter(x -> !runner.gaveUpOn("docker"));
        if (e.isPresent()) {
            try {
                return api.apply(e.get());
            } catch (CommandInterruptedException | DockerEngine.Gone answered) {
                throw answered;
            } catch (RuntimeException failed) {
                if (failed instanceof DockerEngine.Failure f
                        && f.timedOut()
                        && !e.get().usable()) {
                    // Hung twice in a row: as after a docker command that timed out, a budget in force starts no
                    // more of them. One stall is forgiven (the CLI answers it), as outside a budget; a call the
                    // budget cut short leaves no budget for the CLI anyway.
                    runner.timedOut("docker");
                }
                if (fellBack.compareAndSet(false, true)) {
                    notice.accept("docker engine API: " + what + " failed (" + failed.getMessage()
                            + "); the docker CLI answers instead");
                }
            }
        }
        return cli.get();
    }

    /** One swarm task as {@code docker stack ps} shows it. */
    record Task(String id, String name, String desiredState, String currentState, String error) {
        boolean failed() {
            return currentState.startsWith("Rejected") || currentState.startsWith("Failed");
        }
    }

    CommandResult run(Command command) {
        return runner.run(command.withEnv(env));
    }

    CommandResult docker(String... args) {
        return run(Command.of(
                        Stream.concat(Stream.of("docker"), Arrays.stream(args)).toList())
                .withTimeout(QUERY_TIMEOUT));
    }

    /** docker's line for an object that is not there: "Error: no such service: x", "get x: no such volume". */
    private static final Pattern NO_SUCH_OBJECT =
            Pattern.compile("(?i)^(error: )?(.*: )?no such (service|volume|secret|config|network|container|object): ");

    /**
     * Whether docker failed only because objects it was asked about are not there: every line it wrote says "no
     * such …" (in any case: docker's has changed between versions). A timeout, or any other line, is a real failure.
     */
    static boolean failedOnlyOnGoneObjects(CommandResult result) {
        List<String> lines = result.stderr().lines().filter(l -> !l.isBlank()).toList();
        return !result.ok()
                && !result.timedOut()
                && !lines.isEmpty()
                && lines.stream().allMatch(l -> NO_SUCH_OBJECT.matcher(l).find());
    }

    /**
     * Non-empty output lines of an inspect of objects listed a moment before, some of which may be gone by now (another
     * runner's teardown on a shared swarm): docker then answers for the others and says "no such …" for each gone
     * one, which is not a failure. Any other error is.
     */
    List<String> linesOfThoseStillThere(String... args) {
        CommandResult result = docker(args);
        if (!result.ok() && !failedOnlyOnGoneObjects(result)) {
            result.orThrow();
        }
        return result.stdout()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
    }

    /** Non-empty output lines of a docker query that must succeed. */
    List<String> lines(String... args) {
        return docker(args)
                .orThrow()
                .stdout()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
    }

    /** Starts a long-lived docker child whose stdout lines go to {@code lines} (see {@link CommandRunner#start}). */
    CommandRunner.Streaming start(Command command, Consumer<String> lines) {
        return runner.start(command.withEnv(env), lines);
    }

    /**
     * A service's rollout as swarm reports it: whether its task template changed in the last spec update (a rollout
     * is then due), and the state and start time (epoch seconds, 0 when unknown) of its latest update.
     */
    record Rollout(String service, boolean templateChanged, String state, long startedAt) {}

    /**
     * A stack's services, each as a state (replicas, update) and as a rollout, and the names of those whose failed
     * tasks swarm does not replace ({@link #replacesFailedTasks(JsonNode)}).
     */
    record StackServices(List<ServiceState> states, List<Rollout> rollouts, Set<String> notRestarted) {
        StackServices {
            notRestarted = Set.copyOf(notRestarted);
        }
    }

    /**
     * Whether swarm starts a new task in the place of a failed one, by the task template's restart policy: not for
     * {@code condition: none}; for {@code any} (swarm's default) and {@code on-failure}, at least once
     * ({@code max_attempts} 0 means without end).
     */
    static boolean replacesFailedTasks(JsonNode taskTemplate) {
        return !taskTemplate
                .path("RestartPolicy")
                .path("Condition")
                .asText("any")
                .equals("none");
    }

    /**
     * The stack's services with their replicas, update states and rollouts: one engine request, or two docker commands
     * (a list and one inspect of all of them).
     */
    StackServices stackServices(StackName stack) {
        return query(
                "services of " + stack, e -> EngineQueries.stackServices(e, stack), () -> stackServicesViaCli(stack));
    }

    StackServices stackServicesViaCli(StackName stack) {
        List<String> rows = lines(
                "service",
                "ls",
                "--filter",
                "label=" + STACK_LABEL + "=" + stack,
                "--format",
                "{{.ID}}\t{{.Name}}\t{{.Replicas}}");
        if (rows.isEmpty()) {
            return new StackServices(List.of(), List.of(), Set.of());
        }
        Map<String, int[]> replicas = new LinkedHashMap<>();
        List<String> args = new ArrayList<>(
                List.of(
                        "service",
                        "inspect",
                        "--format",
                        "{{.Spec.Name}}\t{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}\t"
                                + "{{if .UpdateStatus}}{{if .UpdateStatus.StartedAt}}{{.UpdateStatus.StartedAt.Unix}}{{end}}{{end}}\t"
                                + "{{json .Spec.TaskTemplate}}\t{{if .PreviousSpec}}{{json .PreviousSpec.TaskTemplate}}{{end}}"));
        for (String row : rows) {
            String[] p = row.split("\t", -1);
            if (p.length == 3) {
                args.add(p[0]);
                replicas.put(p[1], parseReplicas(p[2]));
            }
        }
        Map<String, String> updates = new LinkedHashMap<>();
        List<Rollout> rollouts = new ArrayList<>();
        Set<String> notRestarted = new HashSet<>();
        // A service removed between the two calls makes inspect fail; the next poll sees the truth.
        docker(args.toArray(String[]::new))
                .stdout()
                .lines()
                .map(l -> l.split("\t", -1))
                .filter(p -> p.length == 5)
                .forEach(p -> {
                    String name = p[0].strip();
                    boolean changed = !p[4].isBlank() && !p[4].equals(p[3]);
                    long started = p[2].isBlank() ? 0 : Long.parseLong(p[2].strip());
                    rollouts.add(new Rollout(name, changed, p[1].strip(), started));
                    if (!replacesFailedTasks(parse(p[3]))) {
                        notRestarted.add(name);
                    }
                    if (!p[1].isBlank()) {
                        updates.put(name, p[1].strip());
                    }
                });
        List<ServiceState> states = new ArrayList<>();
        replicas.forEach(
                (name, r) -> states.add(new ServiceState(name, r[0], r[1], Optional.ofNullable(updates.get(name)))));
        return new StackServices(states, rollouts, notRestarted);
    }

    List<ServiceState> services(StackName stack) {
        return stackServices(stack).states();
    }

    List<Task> tasks(StackName stack) {
        return query("tasks of " + stack, e -> EngineQueries.tasks(e, stack, Instant.now()), () -> tasksViaCli(stack));
    }

    List<Task> tasksViaCli(StackName stack) {
        CommandResult result = docker("stack", "ps", stack.value(), "--no-trunc", "--format", "{{json .}}");
        if (!result.ok()) {
            return List.of(); // "nothing found in stack" while it is still being created or after removal
        }
        return result.stdout()
                .lines()
                .filter(l -> !l.isBlank())
                .map(DockerCli::parse)
                .map(n -> new Task(
                        n.path("ID").asText(),
                        n.path("Name").asText(),
                        n.path("DesiredState").asText(),
                        n.path("CurrentState").asText(),
                        n.path("Error").asText()))
                .toList();
    }

    static String table(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return "  (no tasks)";
        }
        StringBuilder out = new StringBuilder();
        for (Task t : tasks) {
            out.append(
                    String.format("  %-50s %-10s %-28s %s%n", t.name(), t.desiredState(), t.currentState(), t.error()));
        }
        return out.toString().stripTrailing();
    }

    /** The last lines a service logged (stdout and stderr of its tasks), or why they could not be read. */
    String serviceLogs(String service, int lines) {
        CommandResult result =
                docker("service", "logs", "--no-trunc", "--raw", "--tail", Integer.toString(lines), service);
        String text = (result.stdout() + result.stderr()).strip();
        return text.isEmpty() ? "(no output)" : text;
    }

    Optional<String> runningContainerViaCli(String service) {
        return lines(
                        "ps",
                        "-q",
                        "--filter",
                        "label=com.docker.swarm.service.name=" + service,
                        "--filter",
                        "status=running")
                .stream()
                .findFirst();
    }

    /** Runs argv in a container; stdin, when given, is fed to it. */
    CommandResult exec(String container, List<String> argv, Optional<String> stdin, Duration timeout) {
        List<String> all = new ArrayList<>(List.of("docker", "exec", "-i", container));
        all.addAll(argv);
        Command command = Command.of(all).withTimeout(timeout);
        return run(stdin.map(command::withStdin).orElse(command));
    }

    /** The services of a stack, by full name. */
    List<String> serviceNames(StackName stack) {
        return objects.names(DockerObjects.Kind.SERVICE, DockerObjects.ofStack(stack));
    }

    /** The ids of the stack's containers, running or not. */
    List<String> stackContainers(StackName stack) {
        return objects.list(DockerObjects.Kind.CONTAINER, DockerObjects.ofStack(stack)).stream()
                .map(DockerObjects.Listed::id)
                .toList();
    }

    Map<String, String> serviceLabelsViaCli(String service) {
        CommandResult result = docker("service", "inspect", service, "--format", "{{json .Spec.Labels}}");
        Map<String, String> labels = new LinkedHashMap<>();
        if (!result.ok() && !failedOnlyOnGoneObjects(result)) {
            // Not "no labels": a docker that cannot answer must not make a recipe look as if it declared none.
            result.orThrow();
        }
        if (result.ok()) {
            parse(result.stdout().strip())
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    static int[] parseReplicas(String text) {
        // "1/1", "0/1 (max 1 per node)", or "" for a service still being created
        String[] parts = text.split("[ (]", 2)[0].split("/");
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (RuntimeException e) {
            return new int[] {0, 0};
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new RecipeCiException("docker printed something that is not JSON: " + json, e);
        }
    }
}

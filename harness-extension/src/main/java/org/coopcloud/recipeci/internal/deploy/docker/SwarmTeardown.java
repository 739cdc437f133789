package org.coopcloud.recipeci.internal.deploy.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.docker.DockerObjects.Kind;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandFailedException;
import org.coopcloud.recipeci.internal.process.CommandInterruptedException;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.text.FailureText;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;

/**
 * Removes everything an app owns on the swarm — stack, containers, volumes, secrets, configs, networks, env file, and
 * the bridge recipe-ci reaches it through (edge container and directory) — and lists what is still there. Works from
 * the domain alone, so the janitor can reap an app whose run is gone.
 */
final class SwarmTeardown {
    private static final Duration CONTAINER_STOP_WAIT = Duration.ofSeconds(60);
    private static final Duration BRIDGE_CLOSE_WAIT = Duration.ofSeconds(40);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(30);

    private final DockerCli docker;
    private final RunLog log;
    private final Function<AppDomain, Path> envFile;
    private final FrontDoors frontDoors;

    SwarmTeardown(DockerCli docker, RunLog log, Function<AppDomain, Path> envFile, FrontDoors frontDoors) {
        this.docker = docker;
        this.log = log;
        this.envFile = envFile;
        this.frontDoors = frontDoors;
    }

    /**
     * Best effort, step by step: a step that fails or times out is logged and the next one still runs; what
     * matters is the residual check at the end, which lists every object of the app still present.
     */
    List<String> run(AppDomain domain) {
        StackName stack = domain.stackName();
        // The bridge goes while the stack does: its removal is off the critical path.
        CompletableFuture<Void> bridge = new CompletableFuture<>();
        Thread closer = new Thread(
                () -> {
                    try {
                        frontDoors.close(domain);
                        bridge.complete(null);
                    } catch (RuntimeException e) {
                        bridge.completeExceptionally(e);
                    }
                },
                "recipe-ci-bridge-close-" + stack);
        closer.setDaemon(true);
        closer.start();
        step(domain, "stack rm", () -> docker.docker("stack", "rm", stack.value()));
        step(domain, "containers stopped", () -> awaitContainersGone(domain));
        // Before the volumes: a container made late would hold (or make again) the stack's volumes.
        step(domain, "swarm lets go", () -> awaitStackReleased(domain));
        step(domain, "bridge", () -> {
            try {
                // Bounded: docker rm of an edge on a daemon that does not answer must not hold the teardown.
                bridge.get(BRIDGE_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new CompletionException(e.getCause());
            } catch (TimeoutException e) {
                throw new RecipeCiException("the bridge was not closed within " + BRIDGE_CLOSE_WAIT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunStoppedException("interrupted while closing the bridge of " + domain);
            }
        });
        step(
                domain,
                "volumes",
                () -> removeAll(
                        docker.objects().names(Kind.VOLUME, DockerObjects.ofStack(stack)), "volume", "rm", "--force"));
        step(
                domain,
                "secrets",
                () -> removeAll(owned(docker.objects().names(Kind.SECRET, Optional.empty()), stack), "secret", "rm"));
        step(
                domain,
                "configs",
                () -> removeAll(owned(docker.objects().names(Kind.CONFIG, Optional.empty()), stack), "config", "rm"));
        step(domain, "networks", () -> removeAll(networkIds(stack), "network", "rm"));
        step(domain, "env file", () -> {
            try {
                Files.deleteIfExists(envFile.apply(domain));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return leftovers(domain);
    }

    /**
     * Stack removal returns before the containers are gone, and volumes in use cannot be removed until they are. Once
     * the stack has no service left, its containers are removed by force at once: a teardown discards the app's data
     * anyway, and swarm's own stop of a task on an overlay network takes about 6 s here (it waits for the network to
     * forget the task before it stops the container), against 0.2 s for a forced removal. While a service is still
     * there, swarm would replace what goes, so the containers are waited for; one that ignores SIGTERM for longer than
     * CONTAINER_STOP_WAIT is removed by force.
     */
    void awaitContainersGone(AppDomain domain) {
        removeOnceServicesAreGone(domain);
        try {
            awaitNoContainers(domain, CONTAINER_STOP_WAIT);
        } catch (NamedWait.TimeoutException e) {
            List<String> stuck = docker.stackContainers(domain.stackName());
            log.warn(domain + ": " + stuck.size() + " container(s) still stopping after "
                    + CONTAINER_STOP_WAIT.toSeconds() + " s — removing them by force");
            List<String> args = new ArrayList<>(List.of("rm", "--force"));
            args.addAll(stuck);
            docker.docker(args.toArray(String[]::new));
            awaitNoContainers(domain, Duration.ofSeconds(30));
        }
    }

    /**
     * After a forced removal swarm still holds on to the tasks for a few seconds (about 3 s here): the stack's own
     * networks stay listed meanwhile (their removal answers "not found"; swarm deletes them itself), and a task swarm
     * was starting when its service went (a crash loop's restart) can still make a container. Until neither is left,
     * such containers go by force and the networks are asked to go about once a second; only then do the volumes
     * go. Bounded by {@link #RELEASE_WAIT}: what is still there after it is reported by the residual check.
     */
    void awaitStackReleased(AppDomain domain) {
        StackName stack = domain.stackName();
        int[] polls = {0};
        NamedWait.of(domain + " swarm letting go", RELEASE_WAIT)
                .every(Duration.ofMillis(250))
                .until(
                        () -> {
                            boolean containers = !docker.stackContainers(stack).isEmpty();
                            List<String> networks = networkIds(stack);
                            if (!containers && networks.isEmpty()) {
                                return Poll.done("released", true);
                            }
                            if (containers) {
                                removeOnceServicesAreGone(domain);
                            }
                            if (polls[0]++ % 4 == 0) {
                                networks.forEach(n -> docker.docker("network", "rm", n));
                            }
                            return Poll.pending(
                                    (containers ? "containers and " : "") + networks.size() + " network(s)");
                        },
                        line -> {});
    }

    /** Removes the stack's containers by force when no service of it is left; leaves them to swarm otherwise. */
    void removeOnceServicesAreGone(AppDomain domain) {
        StackName stack = domain.stackName();
        try {
            if (!docker.serviceNames(stack).isEmpty()) {
                return;
            }
            List<String> containers = docker.stackContainers(stack);
            if (containers.isEmpty()) {
                return;
            }
            List<String> args = new ArrayList<>(List.of("rm", "--force"));
            args.addAll(containers);
            // Not checked: a container swarm removed meanwhile makes docker say "No such container"; the wait that
            // follows judges what is left.
            docker.docker(args.toArray(String[]::new));
        } catch (CommandInterruptedException e) {
            throw e;
        } catch (RecipeCiException e) {
            // The wait that follows lets swarm stop them the slow way, and says what is left.
            log.info(domain + ": could not remove the containers at once (" + e.getMessage() + "); waiting for swarm");
        }
    }

    private void step(AppDomain domain, String name, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn(domain + ": teardown step '" + name + "' failed, going on: " + e.getMessage());
        }
    }

    private void awaitNoContainers(AppDomain domain, Duration limit) {
        try (StackEvents events = StackEvents.open(docker, domain.stackName(), Instant.now(), limit)) {
            awaitNoContainers(domain, limit, events);
        }
    }

    private void awaitNoContainers(AppDomain domain, Duration limit, NamedWait.Pacer pacer) {
        NamedWait.of(domain + " containers stopping", limit)
                .every(Duration.ofMillis(500))
                .pacedBy(pacer)
                .until(
                        () -> {
                            int left =
                                    docker.stackContainers(domain.stackName()).size();
                            return left == 0 ? Poll.done("none left", true) : Poll.pending(left + " container(s) left");
                        },
                        line -> {
                            if (!line.contains("none left")) {
                                log.info(line);
                            }
                        });
    }

    /** Everything of the app still present: services, containers, volumes, secrets, configs, networks, env file. */
    List<String> leftovers(AppDomain domain) {
        StackName stack = domain.stackName();
        List<String> left = new ArrayList<>();
        residual(left, "service", () -> docker.serviceNames(stack));
        residual(left, "container", () -> containers(stack));
        DockerObjects objects = docker.objects();
        residual(left, "volume", () -> objects.names(Kind.VOLUME, DockerObjects.ofStack(stack)));
        residual(left, "secret", () -> owned(objects.names(Kind.SECRET, Optional.empty()), stack));
        residual(left, "config", () -> owned(objects.names(Kind.CONFIG, Optional.empty()), stack));
        residual(left, "network", () -> objects.names(Kind.NETWORK, DockerObjects.ofStack(stack)));
        if (Files.exists(envFile.apply(domain))) {
            left.add("env file " + envFile.apply(domain));
        }
        left.addAll(frontDoors.leftoverDirs(domain));
        return left;
    }

    /**
     * The stack's containers and its edge containers (named "edge …"), in one listing: edges carry their own label, not
     * the stack's, since docker's stack commands must not count them.
     */
    private List<String> containers(StackName stack) {
        List<String> found = new ArrayList<>();
        for (DockerObjects.Listed c :
                docker.objects().list(Kind.CONTAINER, Optional.empty(), DockerCli.STACK_LABEL, EdgeContainer.LABEL)) {
            if (c.label(DockerCli.STACK_LABEL).equals(stack.value())) {
                found.add(c.name());
            } else if (c.label(EdgeContainer.LABEL).equals(stack.value())) {
                found.add("edge " + c.name());
            }
        }
        return found;
    }

    /** The ids of the stack's networks. */
    private List<String> networkIds(StackName stack) {
        return docker.objects().list(Kind.NETWORK, DockerObjects.ofStack(stack)).stream()
                .map(DockerObjects.Listed::id)
                .toList();
    }

    private static void residual(List<String> left, String kind, Supplier<List<String>> listing) {
        try {
            listing.get().forEach(name -> left.add(kind + " " + name));
        } catch (CommandInterruptedException e) {
            // The run was stopped while it looked: "unknown" would read as something left behind.
            throw e;
        } catch (RuntimeException e) {
            left.add(kind + "s unknown (cannot list them: " + FailureText.firstMeaningfulLine(e) + ")");
        }
    }

    private void removeAll(List<String> names, String... removeCommand) {
        for (String name : names) {
            // A network or volume may still be held for a moment after its containers are gone: retry briefly.
            NamedWait.of(removeCommand[0] + " " + name + " removed", Duration.ofSeconds(30))
                    .every(Duration.ofMillis(500))
                    .until(
                            () -> {
                                List<String> args = new ArrayList<>(List.of(removeCommand));
                                args.add(name);
                                CommandResult result = docker.docker(args.toArray(String[]::new));
                                if (result.timedOut()) {
                                    // docker does not answer: retrying only spends the teardown's budget
                                    throw new CommandFailedException(result);
                                }
                                boolean gone = result.ok()
                                        || result.stderr().contains("not found")
                                        || DockerCli.failedOnlyOnGoneObjects(result);
                                return gone ? Poll.done("removed", true) : Poll.pending(result.firstLine());
                            },
                            line -> {});
        }
    }

    private static List<String> owned(List<String> names, StackName stack) {
        return names.stream().filter(n -> n.startsWith(stack + "_")).toList();
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;
import org.coopcloud.recipeci.internal.os.NativePosix;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;

/**
 * recipe-ci's edge container for one app: a plain container on the {@code proxy} network whose socat listens on the
 * unix sockets of an {@link EdgeDir} (bind-mounted at {@code /run/edge}) and connects each connection to the app's
 * task, resolved by docker's embedded DNS. The image is built by {@code scripts/local-swarm} from
 * {@code scripts/edge/edge.sh}. Containers are labelled with the app's stack, so a teardown finds them whoever
 * started them.
 */
final class EdgeContainer {
    /** Built by {@code scripts/local-swarm up}; the tag changes when {@code edge.sh}'s arguments do. */
    static final String IMAGE = "recipe-ci.local/edge:1";
    /** Its value is the app's stack. */
    static final String LABEL = "org.coopcloud.recipeci.edge";

    static final String OWNER_LABEL = LABEL + ".owner";
    static final String DIR_LABEL = LABEL + ".dir";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final int OVERLAY_RETRIES = 4;
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(10);

    private EdgeContainer() {}

    static String name(StackName stack) {
        return "recipe-ci-edge-" + stack;
    }

    /**
     * @throws RecipeConfigurationException when the edge image is not on this host
     */
    static void requireImage(DockerCli docker) {
        CommandResult inspected = docker.docker("image", "inspect", "--format", "{{.Id}}", IMAGE);
        if (!inspected.ok()) {
            throw new RecipeConfigurationException("recipe-ci reaches apps through an edge container on the proxy"
                    + " network, and its image " + IMAGE + " is not on this host (" + inspected.firstLine()
                    + "): run `scripts/local-swarm up` (it builds the image from Debian's socat), or set"
                    + " recipeci.front-door=traefik on a host whose Traefik serves the run's domains");
        }
    }

    /**
     * Starts the edge ({@code docker run -d}, which returns once the container runs). It lives until the lock on the
     * directory's {@code owner.lock} goes, or until {@link #remove}; {@code --rm} removes it when it exits.
     *
     * @param owner names the run in a label, for humans ({@code <run id>-<pid>})
     * @param ownerLabels {@code --label} arguments naming the run's owner, for the janitors
     * @param targets {@code host:port} on {@code proxy}, one socket each in order
     * @throws DeployFailedException with docker's reason when it does not start
     */
    static void start(
            DockerCli docker,
            StackName stack,
            EdgeDir dir,
            String owner,
            List<String> ownerLabels,
            List<String> targets) {
        Path mount = dir.path();
        List<String> argv = new ArrayList<>(List.of(
                "docker",
                "run",
                "--detach",
                "--rm",
                "--init",
                "--name",
                name(stack),
                "--network",
                ProxyNetwork.NAME,
                "--label",
                LABEL + "=" + stack,
                "--label",
                OWNER_LABEL + "=" + owner,
                "--label",
                DIR_LABEL + "=" + mount));
        argv.addAll(ownerLabels);
        argv.addAll(List.of(
                // --mount, not -v: a missing directory is an error instead of a root-owned new one.
                "--mount",
                "type=bind,source=" + mount + ",target=/run/edge",
                // Nothing in it to flush: stopping is killing.
                "--stop-signal",
                "KILL",
                IMAGE,
                Long.toString(NativePosix.getuid())));
        argv.addAll(targets);
        Command run = Command.of(argv).withTimeout(RUN_TIMEOUT);
        CommandResult started = docker.run(run);
        for (int retry = 1; !started.ok() && overlayGone(started) && retry <= OVERLAY_RETRIES; retry++) {
            // The node tore its copy of the overlay down as another run's last container left it, while this one
            // was joining: the created container is left behind without having run. Another try sets it up again.
            remove(docker, name(stack));
            sleep(Duration.ofMillis(100L * retry));
            started = docker.run(run);
        }
        if (!started.ok()) {
            throw new DeployFailedException("the edge container of " + stack + " did not start: "
                    + started.describe().strip());
        }
    }

    /** Docker's answer when the node's copy of the overlay vanished under a starting container. */
    static boolean overlayGone(CommandResult result) {
        String err = result.stderr();
        return err.contains("Error response from daemon: network ") && err.contains(" not found");
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStoppedException("stopped while starting the edge container");
        }
    }

    /** Removes the edge by force ({@code docker rm -f} kills it and returns when it is gone); missing is fine. */
    static CommandResult remove(DockerCli docker, String name) {
        return docker.docker("rm", "--force", name);
    }

    /**
     * Waits (bounded) until the edge of {@code stack} no longer exists, after docker said its removal was under way.
     *
     * @return what is left when it is still there
     */
    static Optional<String> awaitGone(DockerCli docker, StackName stack) {
        try {
            NamedWait.of(name(stack) + " removed", REMOVAL_WAIT)
                    .every(Duration.ofMillis(50))
                    .until(
                            () -> of(docker, stack).isEmpty()
                                    ? Poll.done("gone", true)
                                    : Poll.pending("docker is still removing it"),
                            line -> {});
            return Optional.empty();
        } catch (NamedWait.TimeoutException e) {
            return Optional.of(
                    "the edge " + name(stack) + " was still being removed after " + REMOVAL_WAIT.toSeconds() + " s");
        }
    }

    /** The edges of {@code stack}, by name, with their directories ({@code name\tdir}). */
    static List<String[]> of(DockerCli docker, StackName stack) {
        return docker.objects().list(DockerObjects.Kind.CONTAINER, Optional.of(LABEL + "=" + stack), DIR_LABEL).stream()
                .map(c -> new String[] {c.name(), c.label(DIR_LABEL)})
                .toList();
    }

    /** The stacks of every edge on this host, whichever run started it. */
    static List<String> stacks(DockerCli docker) {
        return docker.objects().list(DockerObjects.Kind.CONTAINER, Optional.of(LABEL), LABEL).stream()
                .map(c -> c.label(LABEL))
                .toList();
    }

    /** The edge's last log lines, for a failure message; empty once {@code --rm} removed it. */
    static String logs(DockerCli docker, StackName stack) {
        CommandResult logs = docker.docker("logs", "--tail", "20", name(stack));
        return (logs.stdout() + logs.stderr()).strip();
    }
}

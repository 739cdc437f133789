package org.coopcloud.recipeci.internal.deploy.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;

/**
 * One app's bridge from 127.0.0.1 into the {@code proxy} network, in three parts: its {@link EdgeDir} (sockets and
 * the deadman lock), its {@link EdgeContainer} (socat on {@code proxy}) and one {@link LoopbackPipe} per target (a
 * 127.0.0.1 port). Open from before the app's first deploy until its teardown; the ports do not change in between.
 *
 * <pre>
 * client ─TCP─▶ 127.0.0.1:&lt;port&gt; ─(JVM)─▶ &lt;dir&gt;/N.sock ─(edge socat, on proxy)─▶ tasks.&lt;stack&gt;_&lt;service&gt;:&lt;port&gt;
 * </pre>
 */
final class EdgeBridge implements AutoCloseable {
    private static final Duration SOCKETS_WAIT = Duration.ofSeconds(15);

    private final DockerCli docker;
    private final StackName stack;
    private final EdgeDir dir;
    private final Map<String, LoopbackPipe> pipes;
    private boolean containerStarted;

    private EdgeBridge(DockerCli docker, StackName stack, EdgeDir dir, Map<String, LoopbackPipe> pipes) {
        this.docker = docker;
        this.stack = stack;
        this.dir = dir;
        this.pipes = pipes;
    }

    /**
     * Claims the app's edge directory, listens on 127.0.0.1 for each target, starts the edge and waits until its
     * sockets exist (1–3 ms after {@code docker run} returns, on an idle host).
     *
     * @param base where edge directories live
     * @param owner names the run in the container's labels
     * @param ownerLabels {@code --label} arguments naming the run's owner, for the janitors
     * @param targets {@code host:port} on {@code proxy}, distinct
     * @throws DeployFailedException when the edge does not come up (with docker's reason or the edge's log)
     */
    static EdgeBridge open(
            DockerCli docker,
            Path base,
            String owner,
            List<String> ownerLabels,
            StackName stack,
            List<String> targets) {
        EdgeDir dir = EdgeDir.claim(base, stack, targets.size());
        Map<String, LoopbackPipe> pipes = new LinkedHashMap<>();
        EdgeBridge bridge = new EdgeBridge(docker, stack, dir, pipes);
        try {
            for (int i = 0; i < targets.size(); i++) {
                pipes.put(targets.get(i), LoopbackPipe.open(dir.socket(i), stack + "-" + i));
            }
            bridge.containerStarted = true; // from here on a container may exist, whatever docker run says
            EdgeContainer.start(docker, stack, dir, owner, ownerLabels, targets);
            bridge.awaitSockets(targets.size());
            return bridge;
        } catch (IOException | RuntimeException e) {
            try {
                bridge.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RecipeCiException recipeCi) {
                throw recipeCi;
            }
            throw new DeployFailedException("cannot open the bridge to " + stack + ": " + e, e);
        }
    }

    private void awaitSockets(int count) {
        try {
            NamedWait.of(stack + " edge sockets", SOCKETS_WAIT)
                    .every(Duration.ofMillis(5))
                    .until(
                            () -> {
                                long present = 0;
                                for (int i = 0; i < count; i++) {
                                    present += Files.exists(dir.socket(i)) ? 1 : 0;
                                }
                                return present == count
                                        ? Poll.done(present + "/" + count, true)
                                        : Poll.pending(present + "/" + count + " sockets in " + dir.path());
                            },
                            line -> {});
        } catch (NamedWait.TimeoutException e) {
            String logs = EdgeContainer.logs(docker, stack);
            throw new DeployFailedException("the edge container " + EdgeContainer.name(stack) + " did not open its"
                    + " sockets in " + dir.path() + " within " + SOCKETS_WAIT.toSeconds() + " s"
                    + (logs.isEmpty()
                            ? " (it left no log)"
                            : "; its log:\n" + logs.indent(2).stripTrailing()));
        }
    }

    /** The targets, in socket order. */
    List<String> targets() {
        return List.copyOf(pipes.keySet());
    }

    /** The 127.0.0.1 port that reaches {@code target}. */
    int port(String target) {
        return pipes.get(target).port();
    }

    /**
     * Cuts the 127.0.0.1 side, removes the edge by force, then its directory and lock — in that order, so the edge
     * never outlives its lock holder's intent.
     *
     * @throws RecipeCiException naming what is left when a part cannot be removed
     */
    @Override
    public void close() {
        pipes.values().forEach(LoopbackPipe::close);
        List<String> problems = new ArrayList<>();
        if (containerStarted) {
            CommandResult removed = EdgeContainer.remove(docker, EdgeContainer.name(stack));
            if (removed.ok() || removed.stderr().contains("No such container")) {
                // gone
            } else if (removed.stderr().contains("is already in progress")) {
                // The edge was killed already (a teardown's TERM reached its docker run while that was still in
                // flight, and docker passed it on) and --rm is removing it: wait for that, it is no failure.
                EdgeContainer.awaitGone(docker, stack).ifPresent(problems::add);
            } else {
                // The lock is released below all the same: the edge's deadman then removes it.
                problems.add("docker rm of " + EdgeContainer.name(stack) + " failed: " + removed.firstLine());
            }
        }
        try {
            dir.close();
        } catch (RecipeCiException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new RecipeCiException("closing the bridge to " + stack + ": " + String.join("; ", problems));
        }
    }
}

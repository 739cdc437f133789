package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings.Mode;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.run.AppDomains;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge bridge on the real swarm, without an app behind it: a connection through it is closed at once (nothing to
 * reach), and a harness SIGKILLed with its bridge open leaves no edge container — the flock deadman removes it — and
 * the next teardown of the app removes the directory it left. Needs `scripts/local-swarm up` (the edge image).
 */
class EdgeBridgeIT {
    private static final Duration DEADMAN_LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final CommandRunner runner = new CommandRunner();
    private final AppDomain domain =
            AppDomains.forRun(new RecipeName("edge"), "edge", UUID.randomUUID().toString(), "it.recipe-ci.test");
    private ChildJvm holder;

    @AfterEach
    void nothingOfTheEdgeIsLeft() throws Exception {
        if (holder != null) {
            holder.close();
        }
        List<String> left = swarm().teardown(domain);
        assertThat(left).as("left of " + domain).isEmpty();
        assertThat(edges()).isEmpty();
    }

    private Path base() {
        return tmp.resolve("recipe-ci-edge");
    }

    private Swarm swarm() {
        return new Swarm(
                runner,
                RunLog.consoleOnly(),
                d -> tmp.resolve("servers").resolve(d + ".env"),
                Map.of(),
                new FrontDoorSettings(Mode.BRIDGE, base(), "edge-it"));
    }

    private List<String> edges() {
        return runner.run(Command.of(
                        "docker",
                        "ps",
                        "--all",
                        "--filter",
                        "label=" + EdgeContainer.LABEL + "=" + domain.stackName(),
                        "--format",
                        "{{.Names}}"))
                .orThrow()
                .stdout()
                .lines()
                .toList();
    }

    @Test
    void aSigkilledHarnessLeavesNoEdgeContainer_andTheNextTeardownRemovesItsDirectory() throws Exception {
        String target = "tasks." + domain.stackName() + "_app:8080";
        holder = ChildJvm.start(
                EdgeHolderMain.class, base().toString(), domain.stackName().value(), target);
        int port = Integer.parseInt(holder.awaitLine("BRIDGE ", Duration.ofSeconds(60))
                .substring("BRIDGE ".length())
                .strip());
        Path dir = EdgeDir.of(base(), domain.stackName());

        assertThat(edges()).containsExactly(EdgeContainer.name(domain.stackName()));
        assertThat(dir.resolve("0.sock")).exists();
        assertThat(swarm().appsOnSwarm())
                .as("the janitor finds the app by its edge")
                .contains(domain);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(5000);
            client.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
            InputStream in = client.getInputStream();
            assertThat(in.read())
                    .as("no task to reach: closed at once, an empty reply")
                    .isEqualTo(-1);
        }

        long killed = System.nanoTime();
        holder.signal("KILL");
        holder.awaitExit(Duration.ofSeconds(10));
        while (!edges().isEmpty()) {
            assertThat(Duration.ofNanos(System.nanoTime() - killed))
                    .as("the edge is gone after its holder died (deadman)")
                    .isLessThan(DEADMAN_LIMIT);
            Thread.sleep(20);
        }
        System.out.println("edge gone "
                + Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms after its holder was SIGKILLed");
        assertThat(dir).as("the mount point stays").isDirectory();
        try (var files = Files.list(dir)) {
            assertThat(files)
                    .as("the edge removed its sockets and the lock file")
                    .isEmpty();
        }
        assertThat(swarm().leftovers(domain)).containsExactly("edge directory " + dir);

        assertThat(swarm().teardown(domain)).isEmpty();
        assertThat(base()).doesNotExist();
    }
}

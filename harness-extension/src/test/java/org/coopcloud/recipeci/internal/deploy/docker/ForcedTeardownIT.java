package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real swarm: the teardown removes an app's containers by force only once its services are gone (while a
 * service is there, swarm would replace what goes), and after a forced removal it waits until swarm has let go of the
 * stack (its own network included) before it says what is left.
 */
class ForcedTeardownIT {
    /** A service on a network of the stack's own (the `default` one) with a volume, as most recipes have. */
    private static final String COMPOSE =
            """
            version: "3.8"
            services:
              app:
                image: recipe-ci.local/hello:2.1
                command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
                init: true
                volumes:
                  - data:/data
            volumes:
              data:
            """;

    private final CommandRunner runner = new CommandRunner();
    private final DockerCli cli = new DockerCli(runner, Map.of(), Optional.empty(), notice -> {});
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final RunLog log = new RunLog(new PrintStream(out, true, StandardCharsets.UTF_8), Optional.empty());
    private AppDomain domain;
    private Swarm swarm;

    @BeforeEach
    void deploy(@TempDir Path dir) throws Exception {
        swarm = new Swarm(runner, log, d -> dir.resolve(d + ".env"));
        byte[] id = new byte[3];
        ThreadLocalRandom.current().nextBytes(id);
        domain = new AppDomain("ftdn-" + HexFormat.of().formatHex(id) + ".it.recipe-ci.test");
        Files.writeString(dir.resolve("compose.yml"), COMPOSE);
        Swarm.DeployMark mark = swarm.beforeDeploy(domain.stackName());
        runner.run(HandDeploy.of(dir, domain.stackName())).orThrow();
        swarm.awaitConverged(domain, mark, Duration.ofMinutes(2));
    }

    @AfterEach
    void tearDown() {
        assertThat(swarm.teardown(domain)).as("what is left of " + domain).isEmpty();
    }

    @Test
    void whileAServiceIsThere_nothingIsRemovedByForce() {
        List<String> before = cli.stackContainers(domain.stackName());
        assertThat(before).hasSize(1);

        new SwarmTeardown(cli, log, d -> Path.of("/nonexistent"), null).removeOnceServicesAreGone(domain);

        assertThat(cli.stackContainers(domain.stackName()))
                .as("the same task, untouched")
                .isEqualTo(before);
        assertThat(cli.lines("inspect", "--format", "{{.State.Running}}", before.get(0)))
                .containsExactly("true");
    }

    @Test
    void onceTheServicesAreGone_theContainersAreKilled_andTheTeardownWaitsForSwarmToLetGo() {
        String container = cli.stackContainers(domain.stackName()).get(0);
        Instant before = Instant.now().minusSeconds(1);

        // The whole teardown (stack rm first); the @AfterEach teardown then finds nothing, and says so.
        assertThat(swarm.teardown(domain))
                .as("what is left right after the teardown")
                .isEmpty();

        // Killed (SIGKILL, exit 137) by the forced removal, not stopped by swarm (SIGTERM, which httpd under
        // docker-init answers with exit 143).
        List<String> died = cli.lines(
                "events",
                "--since",
                Long.toString(before.getEpochSecond()),
                "--until",
                Long.toString(Instant.now().getEpochSecond() + 1),
                "--filter",
                "container=" + container,
                "--filter",
                "event=die",
                "--format",
                "{{.Actor.Attributes.exitCode}}");
        assertThat(died).containsExactly("137");
        assertThat(cli.lines("network", "ls", "--format", "{{.Name}}"))
                .as("the stack's own network, which swarm removes moments after the containers went")
                .noneMatch(n -> n.startsWith(domain.stackName().value()));
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real swarm, after convergence, as the ready wait watches: a task that fails once and runs after swarm
 * restarts it is forgiven (it is how an app starts whose database restarts under the same update), while a task that
 * fails every time fails the deploy with the crash loop's reason and log lines, long before any deadline.
 */
class TaskRetryIT {
    /** Exits 2 on its first start (its volume is empty then), serves on every later one. */
    private static final String FAILS_ONCE =
            """
            version: "3.8"
            services:
              app:
                image: recipe-ci.local/hello:2.1
                command: ["sh", "-c", "if [ -e /state/started ]; then exec httpd -f -p 8080 -h /www; fi; touch /state/started; exit 2"]
                init: true
                volumes:
                  - state:/state
                deploy:
                  restart_policy:
                    delay: 1s
            volumes:
              state:
            """;

    private static final String FAILS_ALWAYS =
            """
            version: "3.8"
            services:
              app:
                image: recipe-ci.local/hello:2.1
                command: ["sh", "-c", "echo no config here >&2; exit 3"]
                deploy:
                  restart_policy:
                    delay: 1s
            """;

    private final CommandRunner runner = new CommandRunner();
    private final DockerCli cli = new DockerCli(runner, Map.of(), Optional.empty(), notice -> {});
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private AppDomain domain;
    private Swarm swarm;

    private List<ServiceState> deployAndConverge(Path dir, String compose, Duration timeout) throws Exception {
        swarm = new Swarm(
                runner,
                new RunLog(new PrintStream(out, true, StandardCharsets.UTF_8), Optional.empty()),
                d -> dir.resolve(d + ".env"));
        byte[] id = new byte[3];
        ThreadLocalRandom.current().nextBytes(id);
        domain = new AppDomain("retr-" + HexFormat.of().formatHex(id) + ".it.recipe-ci.test");
        Files.writeString(dir.resolve("compose.yml"), compose);
        Swarm.DeployMark mark = swarm.beforeDeploy(domain.stackName());
        runner.run(HandDeploy.of(dir, domain.stackName())).orThrow();
        return swarm.awaitConverged(domain, mark, timeout);
    }

    @AfterEach
    void tearDown() {
        if (swarm != null && domain != null) {
            assertThat(swarm.teardown(domain)).as("what is left of " + domain).isEmpty();
        }
    }

    /**
     * What the ready wait does after convergence, polled until {@code settled}: asks whether a task of the deploy
     * failed for good.
     */
    private void watchLikeTheReadyWait(String what, BooleanSupplier settled) {
        NamedWait.of(what, Duration.ofMinutes(2))
                .every(Duration.ofMillis(250))
                .until(
                        () -> {
                            swarm.requireNoFailedTask(domain);
                            return settled.getAsBoolean() ? Poll.done("settled", true) : Poll.pending("not yet");
                        },
                        line -> {});
    }

    private boolean failedOnceAndRunsAgain() {
        List<DockerCli.Task> tasks = cli.tasks(domain.stackName());
        return tasks.stream().filter(DockerCli.Task::failed).count() == 1
                && tasks.stream().anyMatch(t -> t.currentState().startsWith("Running"));
    }

    @Test
    void aTaskThatFailsOnceAndThenRuns_isForgiven_andTheLogSaysSwarmRestartsIt(@TempDir Path dir) throws Exception {
        deployAndConverge(dir, FAILS_ONCE, Duration.ofMinutes(2));

        watchLikeTheReadyWait(domain + ": failed once, running again", this::failedOnceAndRunsAgain);
        // Running a while later still, and still forgiven.
        Thread.sleep(2_000);
        swarm.requireNoFailedTask(domain);
        assertThat(cli.services(domain.stackName()))
                .singleElement()
                .satisfies(s -> assertThat(s.converged()).as(s.toString()).isTrue());
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("task \\S+_app\\.1 failed \\(\"task: non-zero exit \\(2\\)\"\\); swarm restarts it");
    }

    @Test
    void aTaskThatFailsEveryTime_failsTheDeployAtItsSecondFailure_withItsLogLines(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();

        // Caught while converging, or after it (a task that runs a moment looks converged) while the ready wait
        // watches.
        assertThatThrownBy(() -> {
                    deployAndConverge(dir, FAILS_ALWAYS, Duration.ofMinutes(3));
                    watchLikeTheReadyWait(domain + ": crash loop", () -> false);
                })
                .isInstanceOf(DeployFailedException.class)
                .hasMessageContaining("_app.1 of stack")
                .hasMessageContaining("non-zero exit (3)")
                .hasMessageContaining("failed before in the same slot")
                .hasMessageContaining("no config here");
        // Generous: two starts and a 1 s restart delay, far from the 2 min the watch would otherwise run to.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(90));
    }
}

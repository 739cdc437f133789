package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.run.AppDomains;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the janitor and the teardown of the abra driver do when abra fails, with the fake abra told to fail
 * ({@code FAKE_ABRA_FAIL}) and the real local swarm: an app abra can no longer list is still found, and an app abra
 * cannot undeploy is still removed — quickly, and completely.
 */
class AbraOrphansIT {
    private final CommandRunner runner = new CommandRunner();
    private final List<String> stacks = new ArrayList<>();

    @TempDir
    Path tmp;

    private Path canonical;
    private FakeAbra fake;
    private AppDomain domain;

    @BeforeEach
    void setUp() throws Exception {
        canonical = tmp.resolve("abra-home");
        Files.createDirectories(canonical.resolve("servers/local"));
        fake = FakeAbra.install(tmp.resolve("fake"));
        domain = AppDomains.forRun(
                new RecipeName("hello"), "orphan", UUID.randomUUID().toString(), "it.recipe-ci.test");
        stacks.add(domain.stackName().value());
    }

    @AfterEach
    void removeWhatATestLeft() {
        for (String stack : stacks) {
            if (!docker("stack", "ls", "--format", "{{.Name}}").contains(stack)) {
                continue;
            }
            docker("stack", "rm", stack);
            NamedWait.of(stack + " containers gone", Duration.ofSeconds(60))
                    .until(
                            () -> docker("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + stack)
                                            .isEmpty()
                                    ? Poll.done("gone", true)
                                    : Poll.pending("stopping"),
                            line -> {});
            docker("volume", "rm", "--force", stack + "_data");
        }
        for (String stack : stacks) {
            for (String secret : docker("secret", "ls", "--format", "{{.Name}}")) {
                if (secret.startsWith(stack + "_")) {
                    docker("secret", "rm", secret);
                }
            }
        }
    }

    private AbraDriver driverFailing(String commands) {
        Map<String, String> env = new HashMap<>(fake.env());
        env.put("FAKE_ABRA_FAIL", commands);
        return new AbraDriver(
                new AbraDir(tmp.resolve("run/abra"), canonical, Optional.empty()),
                runner,
                RunLog.consoleOnly(),
                new RunSecrets(),
                env);
    }

    /**
     * The run died after {@code app new}: an env file and abra's secrets, which carry no stack label, and nothing
     * deployed. With {@code app ls} failing, the env file is all that names the app.
     */
    @Test
    void anAppThatDiedBeforeItsFirstDeployIsFoundByItsEnvFileWhenAppLsFails() throws Exception {
        Path envFile = canonical.resolve("servers/local").resolve(domain.value() + ".env");
        Files.writeString(envFile, "TYPE=hello\nDOMAIN=" + domain + "\nSECRET_GREETING_KEY_VERSION=v1\n");
        String secret = domain.stackName() + "_greeting_key_v1";
        assertThat(runner.run(Command.of("docker", "secret", "create", secret, "-")
                                .withStdin("an abra-made secret"))
                        .ok())
                .isTrue();
        AbraDriver driver = driverFailing("ls");

        assertThat(driver.listApps()).contains(domain);
        assertThat(fake.calls()).anySatisfy(c -> assertThat(c.command()).isEqualTo("ls"));

        assertThat(driver.teardown(domain)).isEmpty();
        assertThat(envFile).doesNotExist();
        assertThat(docker("secret", "ls", "--format", "{{.Name}}")).doesNotContain(secret);
    }

    @Test
    void anAppAbraCannotUndeployIsRemovedThroughDockerWithoutWaitingForItsLiveContainers() throws Exception {
        String stack = domain.stackName().value();
        Path compose = Files.writeString(
                tmp.resolve("compose.yml"),
                """
                version: "3.8"
                services:
                  app:
                    image: recipe-ci.local/hello:2.0
                    command: ["sleep", "3600"]
                    init: true
                    volumes:
                      - data:/data
                volumes:
                  data:
                """);
        assertThat(runner.run(Command.of(
                                        "docker",
                                        "stack",
                                        "deploy",
                                        "--resolve-image",
                                        "never",
                                        "-c",
                                        compose.toString(),
                                        stack)
                                .withTimeout(Duration.ofMinutes(1)))
                        .ok())
                .isTrue();
        NamedWait.of(stack + " running", Duration.ofSeconds(60))
                .until(
                        () -> docker("ps", "-q", "--filter", "label=com.docker.stack.namespace=" + stack)
                                        .isEmpty()
                                ? Poll.pending("no container yet")
                                : Poll.done("running", true),
                        line -> {});
        Path envFile = canonical.resolve("servers/local").resolve(domain.value() + ".env");
        Files.writeString(envFile, "TYPE=hello\nDOMAIN=" + domain + "\n");
        AbraDriver driver = driverFailing("undeploy");

        long started = System.nanoTime();
        List<String> left = driver.teardown(domain);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(left).isEmpty();
        assertThat(driver.view().leftovers(domain)).isEmpty();
        assertThat(envFile).doesNotExist();
        assertThat(fake.calls())
                .extracting(FakeAbra.Call::command)
                .as("after a failed undeploy nothing else is asked of abra")
                .containsExactly("undeploy");
        assertThat(took)
                .as("no wait for the containers of a service that is still deployed")
                .isLessThan(Duration.ofSeconds(45));
    }

    private List<String> docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return runner.run(Command.of(argv)).stdout().lines().toList();
    }
}

package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverContract;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The driver contract for the {@code abra} driver, with the fake abra of the test resources on PATH (it does the
 * effects with the real docker CLI), plus what only abra runs must show in the fake's record of calls.
 */
class AbraDriverContractIT extends DeployDriverContract {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private FakeAbra fake;
    private Path canonical;

    @Override
    protected DeployDriver driver(Path runDir) throws Exception {
        fake = FakeAbra.install(tmp.resolve("fake"));
        canonical = tmp.resolve("abra-home");
        Files.createDirectories(canonical.resolve("servers").resolve("local"));
        return new AbraDriver(
                new AbraDir(runDir.resolve("abra"), canonical, Optional.empty()), runner, log(), secrets, fake.env());
    }

    /** The run's log, on the console and kept for the assertions below. */
    private RunLog log() {
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
                System.out.write(b);
            }
        };
        return new RunLog(new PrintStream(both, true, StandardCharsets.UTF_8), Optional.empty());
    }

    @Override
    protected RecipeConfigurationException brokenEnvironment(Path scratch) throws Exception {
        Files.createDirectories(scratch.resolve("empty-bin"));
        AbraDriver noAbra = new AbraDriver(
                new AbraDir(scratch.resolve("abra"), canonical, Optional.empty()),
                runner,
                RunLog.consoleOnly(),
                new RunSecrets(),
                Map.of("PATH", scratch.resolve("empty-bin").toString()));
        return refusal(noAbra::checkEnvironment);
    }

    @Override
    protected String brokenEnvironmentHint() {
        return "needs the abra CLI on PATH";
    }

    @Test
    @Order(20)
    void everyAbraCallCarriedTheRunsAbraDirWhoseLinksLeadToTheCanonicalDirectories() throws Exception {
        List<FakeAbra.Call> calls = fake.calls();
        assertThat(calls).isNotEmpty();
        Path abraDir = runDir.resolve("abra").toAbsolutePath().normalize();
        assertThat(calls).allSatisfy(c -> assertThat(c.abraDir()).isEqualTo(abraDir.toString()));
        for (String shared : AbraDir.SHARED) {
            assertThat(Files.isSymbolicLink(abraDir.resolve(shared)))
                    .as(shared + " is a link")
                    .isTrue();
            assertThat(abraDir.resolve(shared).toRealPath())
                    .isEqualTo(canonical.resolve(shared).toRealPath());
        }
        assertThat(abraDir.resolve("recipes").resolve("hello").resolve(".env.sample"))
                .as("the run's checkout is where abra reads the recipe")
                .exists();
    }

    @Test
    @Order(21)
    void everyAbraCallWasNonInteractiveAndOnlyBackupAndRestoreHadATerminal() {
        List<String> onTerminal = List.of("backup create", "backup download", "restore");
        assertThat(fake.calls()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.argv()).contains(AbraCli.NO_INPUT);
            assertThat(c.stdinTty()).as(c.command() + " on a terminal").isEqualTo(onTerminal.contains(c.command()));
        });
    }

    @Test
    @Order(22)
    void noGeneratedSecretWasInAnyArgv() {
        assertThat(secrets.values())
                .as("abra's generated secrets, read from its output")
                .hasSize(2);
        String log = console.toString(StandardCharsets.UTF_8);
        for (String value : secrets.values()) {
            // Booleans, not contains(): a failure message must not print the value either.
            assertThat(fake.calls().stream()
                            .anyMatch(c -> String.join(" ", c.argv()).contains(value)))
                    .as("a secret value in an abra argv")
                    .isFalse();
            assertThat(log.contains(value))
                    .as("a secret value in the run's log")
                    .isFalse();
        }
    }

    @Test
    @Order(23)
    void theLifecycleWentThroughAbraAndTheTeardownNeededNoDockerFallback() {
        List<FakeAbra.Call> calls = fake.calls().stream()
                .filter(c -> c.argv().contains(domain.value()) || c.command().equals("ls"))
                .toList();
        assertThat(calls.stream().map(FakeAbra.Call::command).filter(c -> !c.equals("ls")))
                .containsExactly(
                        "new",
                        "deploy",
                        "deploy",
                        "backup create",
                        "backup download",
                        "restore",
                        "undeploy",
                        "volume remove",
                        "secret remove",
                        "remove");
        assertThat(calls).anySatisfy(c -> assertThat(c.command()).isEqualTo("ls"));
        FakeAbra.Call created = calls.get(0);
        assertThat(created.argv())
                .containsSubsequence("--server", "local")
                .containsSubsequence("--domain", domain.value())
                .contains("--secrets", "--chaos")
                .endsWith("hello");
        List<FakeAbra.Call> deploys =
                calls.stream().filter(c -> c.command().equals("deploy")).toList();
        assertThat(deploys)
                .allSatisfy(c ->
                        assertThat(c.argv()).contains("--chaos", "--offline").endsWith(domain.value()));
        assertThat(deploys.get(0).argv()).doesNotContain("--force");
        assertThat(deploys.get(1).argv()).as("the upgrade redeploys in place").contains("--force");
        assertThat(calls.stream()
                        .filter(c -> c.command().equals("backup download"))
                        .findFirst()
                        .orElseThrow()
                        .cwd())
                .endsWith("snapshot-1");
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("abra left");
    }
}

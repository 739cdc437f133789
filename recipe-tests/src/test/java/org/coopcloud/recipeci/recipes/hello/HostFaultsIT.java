package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.run.AppDomains;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's host faults on real runs of hello: the runs directory fills up mid-run (a 64 MB tmpfs in a mount
 * namespace of the run's own, filled from outside while the INSTALL tier holds), and docker hangs (a shim holds every
 * command that names the app) when the run is SIGTERMed, and docker becomes unreachable mid-run (the shim fails
 * every command as the CLI does when its daemon is gone). The host's failures must not be graded as the recipe's, the
 * results must be written anyway, and a teardown that docker does not answer must end within its budget and leave
 * the rest to the next run's janitor.
 */
class HostFaultsIT {
    private static final String SUFFIX = "hostfaults.recipe-ci.test";
    private static final RecipeName HELLO = new RecipeName("hello");
    private static final Duration REACH = Duration.ofMinutes(3);

    @TempDir
    Path work;

    private Path runs;
    private Path locks;

    @BeforeEach
    void directories() throws IOException {
        runs = Files.createDirectories(work.resolve("runs"));
        locks = Files.createDirectories(work.resolve("locks"));
    }

    @Test
    void aRunsDirectoryThatFillsUpMidRun_leavesTheLaterRungsUnverifiedWithTheCause_andStillWritesItsResults()
            throws Exception {
        Path release = work.resolve("release-install");
        String pr = "full" + ProcessHandle.current().pid();
        AppDomain domain = AppDomains.forRun(HELLO, pr, "", SUFFIX);
        // The run sees a small tmpfs on its runs directory; what it wrote there is printed after it ends (the
        // namespace, and the tmpfs with it, goes when the shell does).
        List<String> wrapper = List.of(
                "unshare",
                "--mount",
                "sh",
                "-c",
                "mount -t tmpfs -o size=64m tmpfs \"$0\" || exit 99; \"$@\"; rc=$?;"
                        + " for f in exit-code results.json; do echo \"==$f==\"; cat \"$0/full/$f\"; echo; done;"
                        + " exit $rc",
                runs.toString());
        try (HarnessRun run = hello("full", pr, "install,upgrade")
                .wrappedBy(wrapper)
                .with("-Drecipeci.it.hold-install=" + release)
                .start()) {
            assertThat(run.awaitLine("HOLDING-INSTALL ", REACH))
                    .as(run.output())
                    .isPresent();
            long filled = fill(Path.of("/proc", Long.toString(run.pid()), "root")
                    .resolve(runs.toString().substring(1)));
            Files.writeString(release, "");
            run.awaitGone(REACH);
            String output = run.output();

            assertThat(filled).as("bytes written to fill the runs directory").isPositive();
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception in thread");
            String exitCode = section(output, "exit-code");
            assertThat(exitCode).as(output).matches("\\d+");
            assertThat(Integer.parseInt(exitCode)).isEqualTo(run.exitValue());
            JsonNode results = new ObjectMapper().readTree(section(output, "results.json"));
            JsonNode upgrade = rung(results, "upgrade");
            assertThat(upgrade.path("status").asText())
                    .as("the upgrade, whose checkout met the full disk:\n%s", output)
                    .isEqualTo("unverified");
            assertThat(upgrade.path("reason").asText() + upgrade.path("detail").asText())
                    .contains("the host failed, not the recipe")
                    .containsAnyOf("No space left on device", "Out of diskspace");
            assertThat(rung(results, "install").path("status").asText()).isEqualTo("pass");
            assertThat(Residue.of(List.of(domain), locks))
                    .as("what the run left")
                    .isEmpty();
        }
    }

    @Test
    void dockerHungWhenSigtermed_theRunExitsWithinItsTeardownBudget_saysWhatIsLeft_andTheNextRunReapsIt()
            throws Exception {
        String pr = "hung" + ProcessHandle.current().pid();
        AppDomain domain = AppDomains.forRun(HELLO, pr, "", SUFFIX);
        Duration budget = Duration.ofSeconds(20);
        DockerShim shim = DockerShim.in(work.resolve("shim"));
        try (HarnessRun run = hello("hung", pr, "install,custom")
                .env("PATH", shim.pathVariable())
                .with("-Drecipeci.teardown-budget=" + budget.toSeconds() + "s", "-Drecipeci.it.hold-tier=true")
                .start()) {
            assertThat(run.awaitLine("HOLDING-TIER ", REACH)).as(run.output()).isPresent();
            // From now on every docker command that names the app hangs, as on a daemon that stopped answering.
            shim.hold(domain.stackName().value(), null, Duration.ofMinutes(10));
            run.signal("TERM");
            Duration toExit = run.awaitGone(Duration.ofMinutes(3));
            String output = run.output();

            assertThat(run.exitValue()).as(output).isEqualTo(143);
            assertThat(toExit).as("time to exit, against a %s budget", budget).isLessThan(budget.plusSeconds(30));
            assertThat(shim.holding()).as("docker was asked and hung").isTrue();
            assertThat(output).doesNotContain("\tat ");
            JsonNode results = new ObjectMapper()
                    .readTree(run.runDir().resolve("results.json").toFile());
            assertThat(results.path("clean_teardown").asBoolean()).as(output).isFalse();
            assertThat(results.path("left_behind")).as(output).isNotEmpty();
            assertThat(results.path("exit_code").asInt()).isEqualTo(143);
        } finally {
            shim.release();
        }
        assertThat(Residue.of(List.of(domain), locks))
                .as("what the hung teardown left")
                .isNotEmpty();

        RecipeCiProcess.Outcome next = nextRun("after-hung", pr);

        assertThat(next.output()).contains("janitor: " + domain + " has no live run (its lock was free) — reaping");
        assertThat(Residue.of(List.of(domain), locks))
                .as("what the next run's janitor left")
                .isEmpty();
    }

    @Test
    void dockerUnreachableMidRun_theBackupIsUnverifiedWithTheHostsCause_andTheNextRunReapsWhatWasLeft()
            throws Exception {
        Path release = work.resolve("release-install");
        String pr = "gone" + ProcessHandle.current().pid();
        AppDomain domain = AppDomains.forRun(HELLO, pr, "", SUFFIX);
        DockerShim shim = DockerShim.in(work.resolve("shim"));
        try (HarnessRun run = hello("gone", pr, "install,backup,restore")
                .env("PATH", shim.pathVariable())
                .with("-Drecipeci.teardown-budget=30s", "-Drecipeci.it.hold-install=" + release)
                .start()) {
            assertThat(run.awaitLine("HOLDING-INSTALL ", REACH))
                    .as(run.output())
                    .isPresent();
            // From here on the daemon is gone: every docker command fails at once, as the CLI does then.
            shim.fail(
                    ".",
                    "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon"
                            + " running?");
            Files.writeString(release, "");
            run.awaitGone(REACH);
            String output = run.output();

            assertThat(shim.failed()).as("docker was asked and failed").isTrue();
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception in thread");
            assertThat(run.recordedExitCode()).as(output).hasValue(run.exitValue());
            JsonNode results = new ObjectMapper()
                    .readTree(run.runDir().resolve("results.json").toFile());
            JsonNode backup = rung(results, "backup");
            assertThat(backup.path("status").asText())
                    .as("the backup, which met a docker that is gone:\n%s", output)
                    .isEqualTo("unverified");
            assertThat(backup.path("reason").asText() + backup.path("detail").asText())
                    .contains("the host failed, not the recipe")
                    .contains("Cannot connect to the Docker daemon");
            assertThat(rung(results, "install").path("status").asText()).isEqualTo("pass");
        } finally {
            shim.heal();
        }

        RecipeCiProcess.Outcome next = nextRun("after-gone", pr);

        assertThat(Residue.of(List.of(domain), locks))
                .as("what is left after the next run:\n%s", next.output())
                .isEmpty();
    }

    /** A run of hello on this test's runner and suffix, with the fixture tiers on. */
    private HarnessRun.Spec hello(String runId, String pr, String stages) {
        return HarnessRun.of(runs, runId)
                .with(
                        "-Drecipe=hello",
                        "-Dstages=" + stages,
                        "-Drecipeci.pr=" + pr,
                        "-Drecipeci.domain-suffix=" + SUFFIX,
                        "-Drecipeci.lock-dir=" + locks,
                        "-Drecipeci.it.fixtures=true");
    }

    /** The next run on this runner: its compose does not parse, so it stops (exit 2) right after its janitor. */
    private RecipeCiProcess.Outcome nextRun(String runId, String pr) throws IOException, InterruptedException {
        return RecipeCiProcess.run(
                runs,
                runId,
                Map.of(),
                "-Drecipe=hello",
                "-Drecipeci.ref=broken-compose",
                "-Drecipeci.pr=next" + pr,
                "-Drecipeci.domain-suffix=" + SUFFIX,
                "-Drecipeci.lock-dir=" + locks);
    }

    /** Writes into {@code dir} until the disk is full; returns how much it wrote. */
    private static long fill(Path dir) throws IOException {
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, (byte) 'x');
        long written = 0;
        try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
            while (written < (1L << 30)) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("No space left on device");
        }
        return written;
    }

    private static String section(String output, String name) {
        int at = output.indexOf("==" + name + "==\n");
        assertThat(at).as("%s printed after the run:\n%s", name, output).isNotNegative();
        String rest = output.substring(at + name.length() + 5);
        int end = rest.indexOf("\n==");
        return (end < 0 ? rest : rest.substring(0, end)).strip();
    }

    private static JsonNode rung(JsonNode results, String name) {
        for (JsonNode r : results.path("rungs")) {
            if (r.path("name").asText().contains(name)) {
                return r;
            }
        }
        throw new AssertionError("no rung " + name + " in " + results);
    }
}

package org.coopcloud.recipeci.recipes.hello;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.deploy.swarm.SwarmDriver;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI chain of docs/operations.md ("The Drone step"), cancelled mid-run: {@code scripts/ci-step} → {@code ./mvnw
 * verify -Drecipe=hello} → the harness JVM that Maven forks (the {@code recipe-run} profile, see
 * {@link RecipeRunPom}) → a hello app on the swarm, held mid-tier by {@code HoldingTier}. A SIGTERM to the wrapper
 * reaches Maven and the harness together; Maven exits at once, the harness only after its teardown. What must hold at
 * the moment the wrapper returns: exit 143, no process of its group or of the run anywhere, nothing of the app on the
 * swarm, the app lock free, and the run's own record saying it was stopped after a clean teardown.
 */
class CiStepChainIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path REPO = MODULE.getParent();
    /** Big enough that a SIGKILL at the bound can only mean a hung teardown, never a slow one. */
    private static final Duration GRACE = Duration.ofSeconds(150);

    private static final Pattern STARTED = Pattern.compile("ci-step: started process group (\\d+):");
    private static final String HOLDING = "HOLDING-TIER ";
    private static final String HARNESS_MAIN = "org.coopcloud.recipeci.launcher.RecipeCi";
    private static final String MAVEN_MAIN = "org.codehaus.plexus.classworlds.launcher.Launcher";

    @TempDir
    Path dir;

    /** Also the PR id, so the app domain is this run's own: nobody else's run can own what the swarm shows of it. */
    private final String runId = "it-chain-" + UUID.randomUUID().toString().substring(0, 8);

    private RunConfig config;
    private Process step;
    private Path stepOut;
    private Path stepErr;
    private Optional<String> domain = Optional.empty();

    @Test
    void termToTheWrapperMidRunReturnsOnlyWhenTheHarnessToreItsAppDown() throws Exception {
        start();
        domain = Optional.of(awaitHolding());
        String stack = domain.get().replace('.', '_');
        long pgid = pgid().orElseThrow();

        LiveProcesses before = LiveProcesses.now();
        LiveProcesses.Entry maven = before.pid(pgid).orElseThrow();
        assertThat(maven.cmdline()).as("the group leader is the Maven JVM").contains(MAVEN_MAIN);
        List<LiveProcesses.Entry> harnesses = before.naming(List.of(HARNESS_MAIN)).stream()
                .filter(p -> p.cmdline().contains(runId))
                .toList();
        assertThat(harnesses).as("harness JVMs of run %s", runId).hasSize(1);
        LiveProcesses.Entry harness = harnesses.get(0);
        assertThat(harness.ppid()).as("Maven forked the harness: %s", harness).isEqualTo(maven.pid());
        assertThat(harness.pgrp())
                .as("the harness is in the wrapper's group: %s", harness)
                .isEqualTo(pgid);
        assertThat(HelloRunIT.docker("stack", "ls", "--format", "{{.Name}}")).contains(stack);
        assertThat(lslocks())
                .as("lslocks")
                .anyMatch(l -> l.matches("\\s*" + harness.pid() + "\\s+FLOCK\\s+.*"
                        + Pattern.quote(lockFile().toString())));

        step.destroy(); // SIGTERM to the wrapper only: passing it on to Maven and the harness is its job
        boolean harnessOutlivedMaven = awaitWrapper(maven.pid(), harness.pid());

        // At the moment the wrapper returns:
        LiveProcesses after = LiveProcesses.now();
        assertThat(step.exitValue()).as(stepErr()).isEqualTo(143);
        assertThat(after.inGroup(pgid))
                .as("processes of the wrapper's group %d", pgid)
                .isEmpty();
        assertThat(after.naming(List.of(runId, stack)))
                .as("processes naming run %s or stack %s", runId, stack)
                .isEmpty();
        RecipeCiProcess.assertNothingLeftOf(List.of(stack));
        assertThat(config.paths().home().resolve("servers/local/" + domain.get() + ".env"))
                .as("the app's env file")
                .doesNotExist();
        assertThat(lockFile()).as("a clean teardown unlinks the lockfile").doesNotExist();
        assertThat(lslocks()).as("lslocks").noneMatch(l -> l.contains(lockFile().toString()));

        assertThat(harnessOutlivedMaven)
                .as("Maven exited before the harness had torn down, so the wrapper had to wait for the harness, not"
                        + " for its command; if Maven now waits for its fork, this test no longer covers that case")
                .isTrue();
        assertThat(stepErr())
                .contains("ci-step: got SIGTERM: sending SIGTERM to process group " + pgid)
                .contains("ci-step: process group " + pgid + " is gone")
                .contains("the run recorded exit code 143")
                .doesNotContain("SIGKILL");
        Path run = config.runDir();
        assertThat(run.resolve("exit-code")).hasContent("143");
        assertThat(run.resolve("logs/run.log"))
                .content()
                .contains("SIGTERM received")
                .contains(domain.get() + ": tearing down")
                .contains(domain.get() + ": teardown clean");
        JsonNode results =
                new ObjectMapper().readTree(run.resolve("results.json").toFile());
        assertThat(results.get("exit_code").asInt()).as("results.json").isEqualTo(143);
        assertThat(results.get("clean_teardown").asBoolean()).as("results.json").isTrue();
        assertThat(results.get("rungs").toString()).contains("the run was stopped (SIGTERM received");
        assertThat(run.resolve("logs/output.log"))
                .as("the run's own output, also after Maven (its console) is gone")
                .content()
                .contains(domain.get() + ": teardown clean")
                .contains("CANCELLED");
    }

    /**
     * What a Drone cancel really is: the exec runner SIGKILLs the step's process (the wrapper, after {@code exec}) —
     * its {@code engine/exec.go} calls {@code cmd.Process.Kill()} — and stops caring. No wrapper code runs; the kernel
     * TERMs Maven (the wrapper started it with PDEATHSIG), Maven's exit TERMs the harness (its own PDEATHSIG), and the
     * harness tears its app down on its own.
     */
    @Test
    void sigkillToTheWrapperMidRunStillTearsTheAppDown() throws Exception {
        start();
        domain = Optional.of(awaitHolding());
        String stack = domain.get().replace('.', '_');
        long pgid = pgid().orElseThrow();
        assertThat(LiveProcesses.now().inGroup(pgid)).as("the chain is up").isNotEmpty();

        step.destroyForcibly();
        assertThat(step.waitFor(10, TimeUnit.SECONDS)).as("the wrapper died").isTrue();
        assertThat(step.exitValue()).as("SIGKILL").isEqualTo(137);

        // Nothing waits for the teardown now; it must still happen, well before HoldingTier's two minutes end.
        awaitNoStragglers("after the wrapper's SIGKILL", Duration.ofSeconds(60));

        RecipeCiProcess.assertNothingLeftOf(List.of(stack));
        assertThat(config.paths().home().resolve("servers/local/" + domain.get() + ".env"))
                .as("the app's env file")
                .doesNotExist();
        assertThat(lockFile()).as("a clean teardown unlinks the lockfile").doesNotExist();
        Path run = config.runDir();
        assertThat(run.resolve("exit-code")).hasContent("143");
        assertThat(run.resolve("logs/run.log"))
                .content()
                .contains("SIGTERM received")
                .contains(domain.get() + ": teardown clean");
        JsonNode results =
                new ObjectMapper().readTree(run.resolve("results.json").toFile());
        assertThat(results.get("exit_code").asInt()).as("results.json").isEqualTo(143);
        assertThat(results.get("clean_teardown").asBoolean()).as("results.json").isTrue();
    }

    @AfterEach
    void leaveNothingBehind() throws Exception {
        if (step != null && step.isAlive()) {
            step.destroyForcibly(); // no traps run: the group is killed below
            step.waitFor(10, TimeUnit.SECONDS);
        }
        for (LiveProcesses.Entry straggler : stragglers()) {
            ProcessHandle.of(straggler.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        awaitNoStragglers("", Duration.ofSeconds(30));
        if (domain.isEmpty() && config != null) {
            domain = RecipeCiProcess.stacksIn(read(config.runDir().resolve("logs/run.log"))).stream()
                    .findFirst()
                    .map(stack -> stack.replace('_', '.'));
        }
        if (domain.isPresent()) {
            removeWhatTheRunLeft(new AppDomain(domain.get()));
        }
    }

    /** {@code ci-step --exit-code-file … -- ./mvnw -B -q -f <throwaway pom> verify -Drecipe=hello …}. */
    private void start() throws Exception {
        Map<String, String> knobs = new LinkedHashMap<>();
        knobs.put("recipe", "hello");
        knobs.put("stages", "install,custom");
        knobs.put("recipeci.run-id", runId);
        knobs.put("recipeci.pr", runId);
        knobs.put("recipeci.runs-dir", dir.resolve("runs").toString());
        config = RunConfig.resolve(
                ConfigSource.of(key -> Optional.ofNullable(knobs.get(key)), System.getenv()), Optional.empty());

        Path project = dir.resolve("project");
        Path pom = RecipeRunPom.write(
                MODULE,
                project,
                RecipeCiProcess.classpath(),
                // The class ends 1.5 s after the stop: Maven, which does not wait for its fork, is long gone when the
                // harness tears down, on a loaded host too.
                List.of(
                        "-Drecipeci.it.fixtures=true",
                        "-Drecipeci.it.hold-tier=true",
                        "-Drecipeci.it.slow-after-tier=1500"));
        List<String> command = new ArrayList<>(List.of(
                REPO.resolve("scripts/ci-step").toString(),
                "--exit-code-file",
                config.runDir().resolve("exit-code").toString(),
                "--",
                REPO.resolve("mvnw").toString(),
                // Not offline: on a fresh machine the outer build never resolved exec-maven-plugin (the recipe-run
                // profile is off there). Once it is in the local repository, Maven asks the network nothing.
                "-B",
                "-q",
                "-f",
                pom.toString(),
                "verify"));
        knobs.forEach((key, value) -> command.add("-D" + key + "=" + value));
        stepOut = dir.resolve("ci-step.out");
        stepErr = dir.resolve("ci-step.err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stepOut.toFile())
                .redirectError(stepErr.toFile());
        builder.environment().put("CI_STEP_GRACE_SECONDS", Long.toString(GRACE.toSeconds()));
        step = builder.start();
    }

    /** The domain the held run deployed, once its app is up and the run is waiting in HoldingTier. */
    private String awaitHolding() {
        Path output = config.runDir().resolve("logs/output.log");
        return NamedWait.of("run " + runId + " deployed and held mid-tier", Duration.ofMinutes(3))
                .every(Duration.ofMillis(200))
                .until(
                        () -> {
                            String text = read(output);
                            int at = text.indexOf(HOLDING);
                            if (at >= 0 && text.indexOf('\n', at) > 0) {
                                return Poll.done(
                                        "holding",
                                        text.substring(at + HOLDING.length(), text.indexOf('\n', at))
                                                .strip());
                            }
                            if (!step.isAlive()) {
                                throw new AssertionError("the chain ended (exit " + step.exitValue()
                                        + ") before the run reached HoldingTier:\n" + read(stepOut) + stepErr()
                                        + text);
                            }
                            return Poll.pending(text.isEmpty() ? "starting" : "running");
                        },
                        System.out::println);
    }

    /**
     * Waits for the wrapper to return (bounded: the grace period plus slack), and tells whether there was a moment
     * when Maven was gone and the harness still alive — the case the wrapper's waiting for the whole group is for.
     */
    private boolean awaitWrapper(long maven, long harness) throws InterruptedException {
        long deadline = System.nanoTime() + GRACE.plusSeconds(60).toNanos();
        boolean harnessOutlivedMaven = false;
        while (step.isAlive()) {
            assertThat(System.nanoTime())
                    .as("ci-step still running %s after SIGTERM:\n%s", GRACE.plusSeconds(60), stepErr())
                    .isLessThan(deadline);
            // Sampled often: the moment lasts as long as the harness's teardown outlasts Maven's exit (tenths of a
            // second), and a scan of /proc takes some of it.
            LiveProcesses now = LiveProcesses.now();
            harnessOutlivedMaven |= now.pid(maven).isEmpty() && now.pid(harness).isPresent();
            step.waitFor(10, TimeUnit.MILLISECONDS);
        }
        return harnessOutlivedMaven;
    }

    /** Waits until {@link #stragglers()} is empty. */
    private void awaitNoStragglers(String when, Duration limit) {
        NamedWait.of(("the processes of run " + runId + " gone " + when).strip(), limit)
                .every(Duration.ofMillis(100))
                .until(
                        () -> {
                            List<LiveProcesses.Entry> left = stragglers();
                            return left.isEmpty() ? Poll.done("none left", true) : Poll.pending("left: " + left);
                        },
                        status -> {});
    }

    private Optional<Long> pgid() {
        Matcher m = STARTED.matcher(stepErr());
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** Live processes of the wrapper's group, and any naming the run id or its app's stack. */
    private List<LiveProcesses.Entry> stragglers() {
        LiveProcesses now = LiveProcesses.now();
        List<LiveProcesses.Entry> left = new ArrayList<>();
        pgid().ifPresent(pgid -> left.addAll(now.inGroup(pgid)));
        List<String> needles = new ArrayList<>(List.of(runId));
        domain.ifPresent(d -> needles.add(d.replace('.', '_')));
        now.naming(needles).stream().filter(p -> !left.contains(p)).forEach(left::add);
        left.removeIf(p -> p.pid() == ProcessHandle.current().pid());
        return left;
    }

    /**
     * The last resort when the run did not tear itself down (the test failed): the harness's own teardown of the
     * domain, under the app lock, as the next run's janitor would do it. The domain is this run's own (its PR id is
     * the run id), so nothing of anyone else's is touched.
     */
    private void removeWhatTheRunLeft(AppDomain app) {
        SwarmDriver driver = new SwarmDriver(
                new CommandRunner(),
                RunLog.consoleOnly(),
                config.paths().home().resolve("servers/local"),
                FrontDoorSettings.of(config));
        Path lockFile = AppLock.lockFile(config.paths().lockDir(), app);
        if (driver.view().leftovers(app).isEmpty() && !Files.exists(lockFile)) {
            return;
        }
        AppLock.Probe probe = AppLock.probe(lockFile);
        try {
            assertThat(probe.outcome())
                    .as("app lock %s (%s): remove stack %s by hand", lockFile, probe.detail(), app.stackName())
                    .isEqualTo(AppLock.Outcome.ACQUIRED);
            List<String> residue = driver.teardown(app);
            assertThat(residue)
                    .as("left of %s after the last-resort teardown", app)
                    .isEmpty();
            probe.lock().orElseThrow().unlink();
        } finally {
            probe.lock().ifPresent(AppLock::close);
        }
    }

    private Path lockFile() {
        return AppLock.lockFile(config.paths().lockDir(), new AppDomain(domain.orElseThrow()));
    }

    private static List<String> lslocks() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("lslocks", "--noheadings", "--notruncate", "--output", "PID,TYPE,PATH")
                .redirectErrorStream(true)
                .start();
        List<String> lines =
                new String(p.getInputStream().readAllBytes(), UTF_8).lines().toList();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("lslocks returned").isTrue();
        return lines;
    }

    private String stepErr() {
        return read(stepErr);
    }

    private static String read(Path file) {
        try {
            return file != null && Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

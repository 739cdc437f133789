package org.coopcloud.recipeci.internal.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/ci-step}, the Drone step wrapper, with real processes and real signals: green and red exit codes,
 * the harness's exit-code file, a TERM to the wrapper while the command's group is still tearing down, and the
 * SIGKILL bound. Failsafe runs in {@code harness-extension/}, so the repository root is {@code ..}.
 */
class CiStepIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path CI_STEP = REPO.resolve("scripts/ci-step");
    private static final Pattern STARTED = Pattern.compile("ci-step: started process group (\\d+):");

    /** Maven in the middle: exits at once on TERM, while its child (the harness) takes ~2 s to tear down. */
    private static final String SLOW_TEARDOWN =
            """
            sh -c 'trap "sleep 2; echo torn-down > \\"$1\\"; exit 143" TERM
                   echo child $$
                   while :; do sleep 0.1; done' child "$1" &
            echo parent $$
            wait
            """;

    /** As above, but the child ignores TERM (and its sleeps inherit that): only SIGKILL ends it. */
    private static final String DEAF_CHILD =
            """
            sh -c 'trap "" TERM
                   echo child $$
                   while :; do sleep 0.1; done' &
            echo parent $$
            wait
            """;

    /**
     * Maven and the harness as they are tied together: the leader (Maven) exits at once on TERM; its child (the
     * harness) holds PDEATHSIG on it and tears down for a second when TERMed.
     */
    private static final String TIED_CHAIN =
            """
            setpriv --pdeathsig TERM sh -c 'trap "sleep 1; echo torn-down > \\"$1\\"; exit 143" TERM
                   echo child $$
                   while :; do sleep 0.1; done' child "$1" &
            trap 'exit 143' TERM
            echo parent $$
            wait
            """;

    @TempDir
    Path dir;

    private final List<Step> steps = new ArrayList<>();

    private record Step(Process process, Path out, Path err) {
        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        int await() throws InterruptedException {
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("ci-step returned\n%s", stderr())
                    .isTrue();
            return process.exitValue();
        }

        Optional<Long> pgid() {
            Matcher m = STARTED.matcher(stderr());
            return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        }
    }

    @AfterEach
    void reapEverything() throws InterruptedException {
        for (Step step : steps) {
            if (step.process().isAlive()) {
                step.process().destroyForcibly();
            }
            step.process().waitFor(10, TimeUnit.SECONDS);
            step.pgid().ifPresent(pgid -> liveMembers(pgid)
                    .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)));
        }
        for (Step step : steps) {
            step.pgid().ifPresent(pgid -> assertThat(awaitEmpty(pgid, Duration.ofSeconds(5)))
                    .as("process group %d is empty after the test", pgid)
                    .isTrue());
        }
    }

    @Test
    void greenExitsZeroWithoutErrorLines() throws Exception {
        Step step = start(Map.of(), "--", "sh", "-c", "exit 0");

        assertThat(step.await()).isZero();
        assertThat(step.stderr().lines()).allSatisfy(line -> assertThat(line)
                .startsWith("ci-step: ")
                .doesNotContainIgnoringCase("error")
                .doesNotContain("SIGTERM", "SIGKILL", "No such process"));
    }

    @Test
    void greenStaysGreenInASetEShell() throws Exception {
        // The incident this guards against: a trap firing after a green command turned the step red under `set -e`.
        for (String shell : List.of("bash", "sh")) {
            Step step = startRaw(Map.of(), shell, "-e", "-c", "scripts/ci-step -- true; echo after");

            assertThat(step.await()).as("%s -e", shell).isZero();
            assertThat(step.stdout()).as("%s -e", shell).isEqualTo("after\n");
        }
    }

    @Test
    void redExitsWithTheCommandsCode() throws Exception {
        Step step = start(Map.of(), "--", "sh", "-c", "exit 3");

        assertThat(step.await()).isEqualTo(3);
    }

    @Test
    void exitCodeFileOverridesTheCommandsCode() throws Exception {
        // Maven turns every failure into 1; the harness writes its own code into the run directory.
        Path file = dir.resolve("run/exit-code");
        Step step = start(
                Map.of(),
                "--exit-code-file",
                file.toString(),
                "--",
                "sh",
                "-c",
                "mkdir -p \"$(dirname \"$1\")\"; echo 2 > \"$1\"; exit 1",
                "sh",
                file.toString());

        assertThat(step.await()).isEqualTo(2);
        assertThat(step.stderr()).contains("using exit code 2 from " + file);
    }

    @Test
    void staleExitCodeFileFromAnEarlierRunIsNotBelieved() throws Exception {
        Path file = dir.resolve("exit-code");
        Files.writeString(file, "5\n");
        Step step = start(Map.of(), "--exit-code-file", file.toString(), "--", "true");

        assertThat(step.await()).isZero();
    }

    @Test
    void membersLeftBehindByAFinishedCommandAreStopped() throws Exception {
        Step step = start(Map.of(), "--", "sh", "-c", "sleep 60 & echo $!; exit 0");

        assertThat(step.await()).isZero();
        long sleeper = Long.parseLong(step.stdout().strip());
        assertThat(isLive(sleeper)).as("leftover %d", sleeper).isFalse();
        assertThat(liveMembers(step.pgid().orElseThrow())).isEmpty();
    }

    @Test
    void termWaitsForTheWholeGroupToTearDown() throws Exception {
        Path marker = dir.resolve("torn-down");
        Step step = start(Map.of(), "--", "sh", "-c", SLOW_TEARDOWN, "chain", marker.toString());
        Map<String, Long> pids = awaitPids(step);
        long pgid = step.pgid().orElseThrow();
        assertThat(pids.get("parent"))
                .as("the command leads its own process group")
                .isEqualTo(pgid);
        assertThat(liveMembers(pgid)).contains(pids.get("parent"), pids.get("child"));

        long sent = System.nanoTime();
        step.process().destroy(); // SIGTERM, to the wrapper only: forwarding it is the wrapper's job
        int code = step.await();
        Duration took = Duration.ofNanos(System.nanoTime() - sent);

        assertThat(code).isEqualTo(143);
        assertThat(marker)
                .as("the wrapper returned before the child's teardown ended")
                .exists();
        assertThat(took).isGreaterThan(Duration.ofMillis(1500));
        assertThat(liveMembers(pgid)).as("members of group %d", pgid).isEmpty();
        assertThat(pids.values()).noneMatch(CiStepIT::isLive);
        assertThat(step.stderr())
                .contains("ci-step: got SIGTERM: sending SIGTERM to process group " + pgid)
                .doesNotContain("SIGKILL");
    }

    /**
     * The leader counts the TERMs it gets — at once, in a signal handler, so that two TERMs a moment apart count twice
     * (issue 13: it got two in two of three tries) — and exits half a second after the first.
     */
    private static final String COUNTING_LEADER =
            """
            import os, signal, sys, time
            count = sys.argv[1]
            signal.signal(signal.SIGTERM, lambda s, f: open(count, "a").write("term\\n"))
            print("parent", os.getpid(), flush=True)
            print("child", os.getpid(), flush=True)
            first = None
            while first is None or time.time() < first + 0.5:
                time.sleep(0.01)
                if first is None and os.path.exists(count):
                    first = time.time()
            sys.exit(143)
            """;

    @Test
    void theGroupLeaderGetsTermOnce() throws Exception {
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path count = dir.resolve("terms-" + attempt);
            Step step = start(Map.of(), "--", "python3", "-c", COUNTING_LEADER, count.toString());
            awaitPids(step);

            step.process().destroy();

            assertThat(step.await()).isEqualTo(143);
            assertThat(Files.readAllLines(count, UTF_8))
                    .as("TERMs the leader got (attempt %d)", attempt)
                    .containsExactly("term");
        }
    }

    @Test
    void aGroupThatIgnoresTermIsKilledAfterTheGracePeriod() throws Exception {
        Step step = start(Map.of("CI_STEP_GRACE_SECONDS", "2"), "--", "sh", "-c", DEAF_CHILD);
        Map<String, Long> pids = awaitPids(step);
        long pgid = step.pgid().orElseThrow();

        long sent = System.nanoTime();
        step.process().destroy();
        int code = step.await();
        Duration took = Duration.ofNanos(System.nanoTime() - sent);

        assertThat(code).isEqualTo(143);
        assertThat(took).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(10));
        assertThat(step.stderr()).contains("after 2s: sending SIGKILL");
        assertThat(liveMembers(pgid)).as("members of group %d", pgid).isEmpty();
        assertThat(pids.values()).noneMatch(CiStepIT::isLive);
    }

    @Test
    void killingTheWrapperStillStopsTheChain() throws Exception {
        // Drone's exec runner cancels a step (and ends it at the repository's timeout) with SIGKILL to the step's
        // process — the wrapper, after `exec`. No trap runs; the kernel must pass the death on.
        Path marker = dir.resolve("torn-down");
        Step step = start(Map.of(), "--", "sh", "-c", TIED_CHAIN, "chain", marker.toString());
        Map<String, Long> pids = awaitPids(step);
        long pgid = step.pgid().orElseThrow();

        step.process().destroyForcibly();
        assertThat(step.await()).as("killed by SIGKILL").isEqualTo(137);

        assertThat(awaitEmpty(pgid, Duration.ofSeconds(10)))
                .as("group %d empty after its wrapper was SIGKILLed: %s", pgid, liveMembers(pgid))
                .isTrue();
        assertThat(marker).as("the child's teardown ran").exists();
        assertThat(pids.values()).noneMatch(CiStepIT::isLive);
    }

    @Test
    void aGraceWithALeadingZeroIsDecimal() throws Exception {
        Step step = start(Map.of("CI_STEP_GRACE_SECONDS", "08"), "--", "sh", "-c", "sleep 60 & exit 0");

        assertThat(step.await()).isZero();
        assertThat(step.stderr())
                .contains("waiting up to 8s for process group")
                .containsPattern("process group \\d+ is gone")
                .doesNotContain("value too great");
    }

    @Test
    void aGraceThatIsNotANumberIsAUsageError() throws Exception {
        Step step = start(Map.of("CI_STEP_GRACE_SECONDS", "3m"), "--", "true");

        assertThat(step.await()).isEqualTo(2);
        assertThat(step.stderr()).contains("CI_STEP_GRACE_SECONDS must be a whole number of seconds");
    }

    // ---- helpers

    private Step start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(CI_STEP.toString());
        command.addAll(List.of(args));
        return startRaw(env, command.toArray(String[]::new));
    }

    private Step startRaw(Map<String, String> env, String... command) throws IOException {
        assertThat(CI_STEP).isExecutable();
        int n = steps.size();
        Path out = dir.resolve("out-" + n + ".txt");
        Path err = dir.resolve("err-" + n + ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(REPO.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("CI_STEP_GRACE_SECONDS");
        builder.environment().putAll(env);
        Step step = new Step(builder.start(), out, err);
        steps.add(step);
        return step;
    }

    /** The {@code parent <pid>} and {@code child <pid>} lines the chain prints once its traps are set. */
    private static Map<String, Long> awaitPids(Step step) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Map<String, Long> pids = new LinkedHashMap<>();
            step.stdout()
                    .lines()
                    .map(l -> l.split(" "))
                    .filter(f -> f.length == 2)
                    .forEach(f -> {
                        pids.put(f[0], Long.parseLong(f[1]));
                    });
            if (pids.containsKey("parent")
                    && pids.containsKey("child")
                    && step.pgid().isPresent()) {
                return pids;
            }
            assertThat(step.process().isAlive())
                    .as("ci-step still running\n%s", step.stderr())
                    .isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("the chain never printed its pids:\n" + step.stdout() + step.stderr());
    }

    /** Non-zombie processes whose process group is {@code pgid}, read from /proc. */
    private static java.util.SortedSet<Long> liveMembers(long pgid) {
        try {
            return ProcessGroup.liveMembers(pgid);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean awaitEmpty(long pgid, Duration limit) {
        return new ProcessGroup(pgid).awaitEmpty(limit);
    }

    private static boolean isLive(long pid) {
        return ProcessGroup.isLive(pid);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

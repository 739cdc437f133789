package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.run.AppDomains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 13's acceptance "SIGTERM at random instants of a hello run, including discovery": runs of hello side by side,
 * each SIGTERMed at its own instant after its guards were armed (the run writes {@code recipeci.it.armed-file} then;
 * before it the JVM's own handler ends the process and nothing of the run exists). The first instants fall into
 * configuration, the janitor and JUnit's discovery, the later ones into the deploy and the tiers. Each must exit 143
 * with its exit-code file and results, print no stack trace and leave nothing. The seed is printed: a failing instant
 * can be replayed with {@code -Dsigterm.seed=N}.
 */
@ResourceLock(ManyJvms.LOCK)
class SigtermAnyInstantIT {
    private static final String SUFFIX = "sigterm.recipe-ci.test";
    private static final int RUNS = 20;
    /** Instants are spread over this span after arming: a hello install takes longer here, even alone. */
    private static final long SPAN_MILLIS = 20_000;

    @TempDir
    Path work;

    private record Instant(int index, long delayMillis, AppDomain domain) {}

    private record Stopped(Instant at, int exit, String exitCode, String lastLine, List<String> problems) {
        /** The run was over (green) before its instant came: on a fast host the last instants may miss. */
        boolean missed() {
            return exit == 0 && problems.isEmpty();
        }
    }

    @Test
    void aSigtermAtAnyInstantExits143_writesItsExitCode_printsNoTrace_andLeavesNothing() throws Exception {
        long seed = Long.getLong("sigterm.seed", System.nanoTime());
        Random random = new Random(seed);
        Path locks = Files.createDirectories(work.resolve("locks"));
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long slot = SPAN_MILLIS / RUNS;
            long delay = i == 0 ? 0 : i * slot + random.nextLong(slot);
            String pr = "st" + i + "p" + ProcessHandle.current().pid();
            instants.add(new Instant(i, delay, AppDomains.forRun(new RecipeName("hello"), pr, "", SUFFIX)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(RUNS);
        List<Future<Stopped>> running = new ArrayList<>();
        for (Instant at : instants) {
            running.add(pool.submit(() -> stop(at, locks)));
            Thread.sleep(500); // JVM starts spread out: two cores
        }
        List<Stopped> stopped = new ArrayList<>();
        for (Future<Stopped> f : running) {
            stopped.add(f.get(5, TimeUnit.MINUTES));
        }
        pool.shutdownNow();

        StringBuilder table = new StringBuilder("SIGTERM at random instants (seed " + seed + "):\n");
        List<String> problems = new ArrayList<>();
        for (Stopped s : stopped) {
            table.append(String.format(
                    "  +%5d ms  exit %3d  exit-code %-4s %s  (last line before: %s)%n",
                    s.at().delayMillis(),
                    s.exit(),
                    s.exitCode(),
                    s.missed() ? "over before its instant" : s.problems().isEmpty() ? "ok" : s.problems(),
                    s.lastLine()));
            s.problems().forEach(p -> problems.add("+" + s.at().delayMillis() + " ms: " + p));
        }
        System.out.println(table);
        long missed = stopped.stream().filter(Stopped::missed).count();
        if (missed > RUNS / 4) {
            problems.add(missed + " of " + RUNS + " runs were over before their instant: shorten SPAN_MILLIS");
        }
        Residue.of(instants.stream().map(Instant::domain).toList(), locks)
                .forEach((domain, left) -> problems.add(domain + " still has " + left));
        assertThat(problems).as("seed %d", seed).isEmpty();
    }

    private Stopped stop(Instant at, Path locks) throws Exception {
        Path runs = work.resolve("runs");
        String runId = "term-" + at.index();
        Path armed = Files.createDirectories(work.resolve("armed")).resolve(runId);
        String pr = "st" + at.index() + "p" + ProcessHandle.current().pid();
        List<String> problems = new ArrayList<>();
        try (HarnessRun run = HarnessRun.of(runs, runId)
                .with(
                        "-Drecipe=hello",
                        "-Dstages=install",
                        "-Drecipeci.pr=" + pr,
                        "-Drecipeci.domain-suffix=" + SUFFIX,
                        "-Drecipeci.lock-dir=" + locks,
                        "-Drecipeci.it.armed-file=" + armed)
                .start()) {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!Files.exists(armed) && run.harnessAlive() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(armed).as("the run armed its guards:\n%s", run.output()).exists();
            Thread.sleep(at.delayMillis());
            List<String> before = run.output().lines().toList();
            String lastLine = before.isEmpty() ? "(none)" : before.get(before.size() - 1);
            run.signal("TERM");
            run.awaitGone(Duration.ofMinutes(2));
            String output = run.output();
            int exit = run.exitValue();
            String exitCode = run.recordedExitCode().stream()
                    .mapToObj(Integer::toString)
                    .findFirst()
                    .orElse("-");
            boolean overBefore = exit == 0 && output.contains("GREEN (exit 0)") && exitCode.equals("0");
            if (exit != 143 && !overBefore) {
                problems.add("exit " + exit + ", not 143");
            }
            if (!exitCode.equals("143") && !overBefore) {
                problems.add("exit-code file says " + exitCode);
            }
            if (!Files.exists(run.runDir().resolve("results.json"))) {
                problems.add("no results.json");
            }
            if (output.contains("\tat ") || output.contains("Exception in thread")) {
                problems.add("a stack trace:\n" + output);
            }
            if (!problems.isEmpty() && !problems.get(problems.size() - 1).startsWith("a stack trace")) {
                problems.add("its output:\n" + output);
            }
            return new Stopped(at, exit, exitCode, lastLine, problems);
        }
    }
}

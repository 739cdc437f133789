package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.run.AppDomains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The fault matrix of issue 13 on the real swarm: each of {SIGTERM, SIGKILL, the deadline, the parent's death} at each
 * of {waiting on the app lock, just after it, converging, mid-tier, mid-teardown}, 20 runs of hello side by side on
 * domains of their own. A Python {@code fcntl.flock} holder keeps a run waiting on its lock; a docker shim on PATH holds a run
 * in the phase (a command held open, as a hung daemon would); the holding fixture tier holds it mid-tier. Each cell
 * is judged by its exit code (the process's and {@code exit-code}'s), its time to exit, what it printed (no stack
 * trace) and what it left; then one more run's janitor must reap what the SIGKILLed ones left, and nothing of any
 * cell may remain.
 *
 * <p>The runs use a lock directory and a domain suffix of their own: no other runner's janitor on a shared swarm
 * judges them, and theirs judge nothing else.
 */
@ResourceLock(ManyJvms.LOCK)
@ResourceLock(ManyJvms.PEAK_LOAD)
class FaultMatrixIT {
    private static final String SUFFIX = "matrix.recipe-ci.test";
    private static final RecipeName HELLO = new RecipeName("hello");
    private static final Duration REACH = Duration.ofMinutes(3);
    private static final Duration TERM_EXIT = Duration.ofMinutes(2);
    private static final Duration KILL_EXIT = Duration.ofSeconds(15);
    /** How long before its deadline the DEADLINE×MID_TEARDOWN cell starts its teardown (less than a command's limit). */
    private static final Duration TEARDOWN_LEAD = Duration.ofSeconds(12);

    enum Kind {
        SIGTERM,
        SIGKILL,
        DEADLINE,
        PARENT_DEATH
    }

    enum Phase {
        WAITING_ON_THE_LOCK,
        AFTER_THE_LOCK,
        CONVERGING,
        MID_TIER,
        MID_TEARDOWN
    }

    @TempDir
    Path work;

    private Path lockDir;

    private record Cell(Kind kind, Phase phase, AppDomain domain, String pr) {
        String name() {
            return kind + "×" + phase;
        }
    }

    /** What one cell did. */
    private record Outcome(
            Cell cell,
            OptionalInt processExit,
            OptionalInt recorded,
            Duration toExit,
            String output,
            List<String> problems) {}

    @Test
    void everyCellExitsAsItShould_leavesNothing_andTheKilledOnesAreReapedByTheNextRun() throws Exception {
        lockDir = Files.createDirectories(work.resolve("locks"));
        List<Cell> cells = new ArrayList<>();
        long jvm = ProcessHandle.current().pid();
        for (Kind kind : Kind.values()) {
            for (Phase phase : Phase.values()) {
                String pr = "mx" + cells.size() + "p" + jvm;
                cells.add(new Cell(kind, phase, AppDomains.forRun(HELLO, pr, "", SUFFIX), pr));
            }
        }
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(cells.size());
        Map<Cell, Future<Outcome>> running = new LinkedHashMap<>();
        for (Cell cell : cells) {
            running.put(cell, pool.submit(() -> run(cell)));
            Thread.sleep(700); // JVM starts spread out: two cores
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : running.values()) {
            outcomes.add(f.get(10, TimeUnit.MINUTES));
        }
        pool.shutdownNow();
        report(outcomes, started);

        // The next run's janitor: a run that stops right after it (its compose does not parse), on the same runner.
        RecipeCiProcess.Outcome reaper = RecipeCiProcess.run(
                work.resolve("runs"),
                "mx-reaper",
                "-Drecipe=hello",
                "-Drecipeci.ref=broken-compose",
                "-Drecipeci.domain-suffix=" + SUFFIX,
                "-Drecipeci.lock-dir=" + lockDir,
                "-Drecipeci.pr=mxreaper" + jvm);
        assertThat(reaper.exitCode()).as(reaper.output()).isEqualTo(2);

        List<String> problems = new ArrayList<>();
        outcomes.forEach(o -> o.problems().forEach(p -> problems.add(o.cell().name() + ": " + p)));
        // A cell that started after another was SIGKILLed may have reaped it already: any later run's janitor counts.
        String allOutput = reaper.output()
                + String.join("\n", outcomes.stream().map(Outcome::output).toList());
        for (Outcome o : outcomes) {
            if (o.cell().kind() == Kind.SIGKILL && leftAnApp(o.cell().phase())) {
                if (!allOutput.contains(
                        "janitor: " + o.cell().domain() + " has no live run (its lock was free) — reaping")) {
                    problems.add(o.cell().name() + ": no later run's janitor reaped "
                            + o.cell().domain());
                }
            }
        }
        Residue.of(cells.stream().map(Cell::domain).toList(), lockDir)
                .forEach((domain, left) -> problems.add(domain + " still has " + left));
        assertThat(problems).as("the reaper said:\n%s", reaper.output()).isEmpty();
    }

    /** Lets the holding tier end {@link #TEARDOWN_LEAD} before the deadline (counted from when the run armed it). */
    private static boolean startTeardownBeforeTheDeadline(HarnessRun run, Path cellDir) throws Exception {
        if (run.awaitLine("HOLDING-TIER ", REACH).isEmpty()) {
            return false;
        }
        long armed = Files.getLastModifiedTime(cellDir.resolve("armed")).toMillis();
        long release = armed + deadlineFor(Phase.MID_TEARDOWN).toMillis() - TEARDOWN_LEAD.toMillis();
        Thread.sleep(Math.max(0, release - System.currentTimeMillis()));
        Files.writeString(cellDir.resolve("release-tier"), "");
        return true;
    }

    private static Duration deadlineFor(Phase phase) {
        return switch (phase) {
            case WAITING_ON_THE_LOCK -> Duration.ofSeconds(60);
            case AFTER_THE_LOCK -> Duration.ofSeconds(75);
            default -> Duration.ofSeconds(95);
        };
    }

    /** The SIGKILLed runs of these phases had created their app. */
    private static boolean leftAnApp(Phase phase) {
        return phase == Phase.CONVERGING || phase == Phase.MID_TIER || phase == Phase.MID_TEARDOWN;
    }

    private Outcome run(Cell cell) throws Exception {
        List<String> problems = new ArrayList<>();
        Path cellDir = Files.createDirectories(work.resolve("cells").resolve(cell.pr()));
        DockerShim shim = DockerShim.in(cellDir);
        // Stack names are [a-z0-9_-]: safe in bash's regular expressions as they are.
        String stack = cell.domain().stackName().value();
        boolean deadline = cell.kind() == Kind.DEADLINE;
        Duration max = Duration.ofMinutes(5);
        Process holder = null;
        HarnessRun.Spec spec = HarnessRun.of(work.resolve("runs"), cell.pr())
                .env("PATH", shim.pathVariable())
                .with(
                        "-Drecipe=hello",
                        "-Drecipeci.pr=" + cell.pr(),
                        "-Drecipeci.domain-suffix=" + SUFFIX,
                        "-Drecipeci.lock-dir=" + lockDir,
                        "-Drecipeci.teardown-budget=60s");
        switch (cell.phase()) {
            case WAITING_ON_THE_LOCK -> {
                // One process holds the lock (flock(1) would leave its command holding the fd when it is killed).
                holder = new ProcessBuilder(
                                "python3",
                                "-c",
                                "import fcntl, sys, time\n"
                                        + "f = open(sys.argv[1], 'a')\n"
                                        + "fcntl.flock(f, fcntl.LOCK_EX)\n"
                                        + "time.sleep(900)",
                                AppLock.lockFile(lockDir, cell.domain()).toString())
                        .start();
                spec.with("-Dstages=install");
            }
            case AFTER_THE_LOCK -> {
                // The first thing after the lock: the scan for a dead run's leftovers. Its listings go to the Engine
                // API's socket unless the run is told to use the CLI, where the shim can hold one open.
                shim.hold(
                        deadline ? stack : "^service ls .*namespace=" + stack + "( |$)",
                        "^service ls .*namespace=" + stack + "( |$)",
                        max);
                spec.with("-Dstages=install", "-Drecipeci.it.docker-cli-only=true");
            }
            case CONVERGING -> {
                shim.hold(deadline ? stack : "^stack ps " + stack, "^stack deploy .*" + stack + "$", max);
                // The convergence polls go to the Engine API's socket unless the run is told to use the CLI, where
                // the shim can hold one open; what is under test is the signal, not how the poll is made.
                spec.with("-Dstages=install", "-Drecipeci.it.docker-cli-only=true");
            }
            case MID_TIER ->
                spec.with(
                        "-Dstages=install,custom",
                        "-Drecipeci.it.hold-tier=true",
                        "-Drecipeci.it.fixtures=true",
                        "-Drecipeci.it.hold-release=" + cellDir.resolve("release-tier"));
            case MID_TEARDOWN -> {
                shim.hold(stack, "^stack rm " + stack + "$", max);
                if (deadline) {
                    // The teardown must still be going when the deadline fires, but it gives up on a docker that
                    // does not answer after one command's limit: the tier holds until shortly before the deadline.
                    spec.with(
                            "-Dstages=install,custom",
                            "-Drecipeci.it.hold-tier=true",
                            "-Drecipeci.it.fixtures=true",
                            "-Drecipeci.it.hold-release=" + cellDir.resolve("release-tier"),
                            "-Drecipeci.it.armed-file=" + cellDir.resolve("armed"));
                } else {
                    spec.with("-Dstages=install");
                }
            }
        }
        if (deadline) {
            // Long enough to reach the phase on a loaded machine (20 JVMs starting on two cores take half a minute
            // to reach the janitor, which may then reap the SIGKILLed cells' apps first); the shim, the lock holder or
            // the holding tier keep the run in its phase until the deadline fires.
            spec.with("-Drecipeci.deadline=" + deadlineFor(cell.phase()).toSeconds() + "s");
        }
        if (cell.kind() == Kind.PARENT_DEATH) {
            spec.underAShell();
        }
        try (HarnessRun run = spec.start()) {
            boolean reached =
                    switch (cell.phase()) {
                        case WAITING_ON_THE_LOCK ->
                            run.awaitLine("is in flight — waiting for it", REACH)
                                    .isPresent();
                        case MID_TIER -> run.awaitLine("HOLDING-TIER ", REACH).isPresent();
                        case MID_TEARDOWN ->
                            (!deadline || startTeardownBeforeTheDeadline(run, cellDir))
                                    && shim.awaitHolding(run::harnessAlive, REACH);
                        default -> shim.awaitHolding(run::harnessAlive, REACH);
                    };
            if (!reached) {
                problems.add("never reached the phase");
            }
            Duration toExit;
            switch (cell.kind()) {
                case SIGTERM -> run.signal("TERM");
                case SIGKILL -> run.signal("KILL");
                case PARENT_DEATH -> run.killParent();
                case DEADLINE -> {
                    if (run.awaitLine("hard deadline", REACH).isEmpty()) {
                        problems.add("the deadline never fired");
                    }
                    run.markStopped();
                }
            }
            Thread.sleep(1000);
            shim.release(); // the phase was held open; what follows (teardown) must not be
            toExit = run.awaitGone(cell.kind() == Kind.SIGKILL ? KILL_EXIT : TERM_EXIT);
            OptionalInt processExit =
                    cell.kind() == Kind.PARENT_DEATH ? OptionalInt.empty() : OptionalInt.of(run.exitValue());
            OptionalInt recorded = run.recordedExitCode();
            String output = run.output();
            judge(cell, processExit, recorded, toExit, output, problems);
            return new Outcome(cell, processExit, recorded, toExit, output, problems);
        } finally {
            if (holder != null) {
                holder.destroyForcibly();
                holder.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void judge(
            Cell cell,
            OptionalInt processExit,
            OptionalInt recorded,
            Duration toExit,
            String output,
            List<String> problems)
            throws Exception {
        int expected =
                switch (cell.kind()) {
                    case SIGTERM, PARENT_DEATH -> 143;
                    case DEADLINE -> 142;
                    case SIGKILL -> 137;
                };
        if (cell.kind() != Kind.PARENT_DEATH && processExit.orElse(-1) != expected) {
            problems.add("exited " + processExit + ", not " + expected);
        }
        if (cell.kind() == Kind.SIGKILL) {
            if (toExit.compareTo(KILL_EXIT) > 0) {
                problems.add("took " + toExit + " to die");
            }
            return; // nothing of it can speak: the next run's janitor judges what it left
        }
        if (recorded.orElse(-1) != expected) {
            problems.add("exit-code says " + recorded + ", not " + expected);
        }
        if (!Files.exists(work.resolve("runs").resolve(cell.pr()).resolve("results.json"))) {
            problems.add("no results.json");
        }
        if (cell.phase() == Phase.MID_TEARDOWN && !output.contains("during teardown")) {
            problems.add("was not stopped during its teardown");
        }
        if (output.contains("\tat ") || output.contains("Exception in thread")) {
            problems.add("printed a stack trace");
        }
        Map<AppDomain, List<String>> left = Residue.of(List.of(cell.domain()), lockDir);
        List<String> mine = left.getOrDefault(cell.domain(), List.of()).stream()
                // the lock holder's lockfile is the holder's, not the run's
                .filter(l -> !(cell.phase() == Phase.WAITING_ON_THE_LOCK && l.startsWith("lockfile ")))
                .toList();
        if (!mine.isEmpty()) {
            problems.add("left " + mine);
        }
    }

    private static void report(List<Outcome> outcomes, long started) {
        StringBuilder table = new StringBuilder("fault matrix ("
                + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s for the 20 cells):\n");
        for (Outcome o : outcomes) {
            table.append(String.format(
                    "  %-12s %-20s exit %-4s exit-code %-4s %5d ms to exit %s%n",
                    o.cell().kind(),
                    o.cell().phase(),
                    o.processExit().isPresent() ? o.processExit().getAsInt() : "-",
                    o.recorded().isPresent() ? o.recorded().getAsInt() : "-",
                    o.toExit().toMillis(),
                    o.problems().isEmpty() ? "ok" : o.problems()));
            if (!o.problems().isEmpty()) {
                table.append(o.output().indent(6));
            }
        }
        System.out.println(table);
    }
}

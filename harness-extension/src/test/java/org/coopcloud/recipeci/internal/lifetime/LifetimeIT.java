package org.coopcloud.recipeci.internal.lifetime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.lock.AppLock.Outcome;
import org.coopcloud.recipeci.internal.os.NativePosix;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.coopcloud.recipeci.internal.testsupport.GuardedRunMain;
import org.coopcloud.recipeci.internal.testsupport.LockHolderMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifetime guards on the real kernel: real signals, real {@code prctl(PR_SET_PDEATHSIG)}, real {@code flock(2)},
 * real process trees. Each test runs {@link GuardedRunMain} (a harness run in miniature: guards → app lock → run →
 * teardown funnel → exit code) and checks the exit code, the teardown marker and that the lock was released.
 *
 * <p>Every process a test starts is reaped in {@link #reapEverything()}, including those that are not the test's
 * own children (JVMs behind a shell wrapper, re-parented orphans): their pids are recorded as they print them.
 */
class LifetimeIT {
    private static final AppDomain DOMAIN = new AppDomain("lifetime-1a2b3c.ci.commoninternet.net");
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final long NO_DEADLINE = Duration.ofMinutes(10).toMillis();
    private static final Pattern READY = Pattern.compile("READY (\\d+)");

    @TempDir
    Path dir;

    private Path lockDir;
    private Path marker;
    private final List<ChildJvm> children = new ArrayList<>();
    /** Processes that are not (or no longer) our children: killed by pid, start time checked against reuse. */
    private final List<ProcessHandle> strays = new ArrayList<>();

    @BeforeEach
    void paths() throws IOException {
        lockDir = Files.createDirectories(dir.resolve("lock"));
        marker = dir.resolve("marker");
    }

    @AfterEach
    void reapEverything() throws Exception {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (ChildJvm child : children) {
            child.process().descendants().forEach(all::add);
        }
        for (ProcessHandle stray : strays) {
            stray.descendants().forEach(all::add);
            all.add(stray);
        }
        all.forEach(ProcessHandle::destroyForcibly);
        for (ChildJvm child : children) {
            child.close();
        }
        for (ProcessHandle h : all) {
            awaitExited(h.pid(), Duration.ofSeconds(10));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void sigtermRunsTheTeardownFunnelExits143AndReleasesTheLock() throws Exception {
        ChildJvm run = guarded(NO_DEADLINE, 0);
        run.awaitLine("READY", LIMIT);
        assertThat(probeAndRelease()).as("the run holds the app lock").isEqualTo(Outcome.HELD);

        run.signal("TERM");

        assertThat(run.awaitExit(LIMIT)).isEqualTo(Lifetime.EXIT_SIGTERM);
        assertThat(run.output()).contains("SIGTERM received").contains("INTERRUPTED");
        assertThat(markerLines()).containsExactly("teardown-started", "teardown-done exit=143");
        assertThat(probeAndRelease()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void sigintExits130EvenWhenStartedInTheBackgroundOfANonInteractiveShell() throws Exception {
        // `cmd &` in a non-interactive shell starts cmd with SIGINT ignored; the guards must un-ignore it.
        ChildJvm wrapper = shell(ChildJvm.shellQuote(guardedCommand(NO_DEADLINE, 0)) + " & wait $!");
        assertThat(wrapper.awaitLine("STARTED", LIMIT))
                .as("premise: the JVM inherited SIGINT ignored")
                .contains("sigint-ignored=true");
        long java = readyPid(wrapper);
        assertThat(probeAndRelease()).isEqualTo(Outcome.HELD);

        assertThat(NativePosix.kill(java, NativePosix.SIGINT)).isZero();

        assertThat(wrapper.awaitExit(LIMIT))
                .as("the shell's `wait` reports the JVM's exit")
                .isEqualTo(130);
        assertThat(awaitExited(java, LIMIT)).isTrue();
        assertThat(wrapper.output()).contains("SIGINT received");
        assertThat(markerLines()).containsExactly("teardown-started", "teardown-done exit=130");
        assertThat(probeAndRelease()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void deadlineLogsItsOwnLineRunsTheFunnelExits142AndReleasesTheLock() throws Exception {
        ChildJvm run = guarded(1500, 0);
        run.awaitLine("READY", LIMIT);

        String line = run.awaitLineContaining("hard deadline", LIMIT);

        assertThat(line)
                .contains("run exceeded its 1500-millisecond hard deadline")
                .doesNotContain("SIGTERM");
        assertThat(run.awaitExit(LIMIT)).isEqualTo(Lifetime.EXIT_DEADLINE);
        assertThat(run.output()).doesNotContain("SIGTERM received");
        assertThat(markerLines()).containsExactly("teardown-started", "teardown-done exit=142");
        assertThat(probeAndRelease()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void aSecondSigtermDuringASlowTeardownIsLoggedAndIgnored() throws Exception {
        ChildJvm run = guarded(NO_DEADLINE, 2000);
        run.awaitLine("READY", LIMIT);

        run.signal("TERM");
        run.awaitLine("TEARDOWN-STARTED", LIMIT);
        run.signal("TERM");
        String ignored = run.awaitLineContaining("during teardown", LIMIT);

        assertThat(ignored).contains("SIGTERM received").contains("ignored");
        assertThat(run.awaitExit(LIMIT)).isEqualTo(Lifetime.EXIT_SIGTERM);
        List<String> out = run.output().lines().toList();
        assertThat(out.stream().filter(l -> l.contains("tearing down")).count())
                .as("only the first signal cancels")
                .isEqualTo(1);
        assertThat(out).doesNotContain("teardown was interrupted and carried on");
        assertThat(indexOf(out, l -> l.contains("during teardown")))
                .as("the second signal arrived while teardown was still running")
                .isLessThan(indexOf(out, l -> l.startsWith("TEARDOWN-DONE")));
        assertThat(markerLines()).containsExactly("teardown-started", "teardown-done exit=143");
        assertThat(probeAndRelease()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void parentSigkillTermsTheRunThroughPdeathsig() throws Exception {
        ChildJvm wrapper = shell(ChildJvm.shellQuote(guardedCommand(NO_DEADLINE, 0)) + " & wait $!");
        long java = readyPid(wrapper);
        assertThat(probeAndRelease()).isEqualTo(Outcome.HELD);

        long killedAt = System.nanoTime();
        wrapper.signal("KILL");
        assertThat(wrapper.awaitExit(LIMIT)).isEqualTo(128 + NativePosix.SIGKILL);

        // The JVM is no longer anyone's child we can wait for: its marker and /proc tell what happened.
        assertThat(awaitExited(java, LIMIT))
                .as("the orphaned run ended by itself")
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(15));
        assertThat(markerLines()).containsExactly("teardown-started", "teardown-done exit=143");
        assertThat(probeAndRelease()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void aRunWhoseParentDiedBeforeTheGuardArmedRefusesToRun() throws Exception {
        Path go = dir.resolve("go");
        Path out = dir.resolve("out");
        Path code = dir.resolve("code");
        // The outer shell hands its own pid ($$, also in the subshell) to the run as RECIPECI_PARENT_PID and exits;
        // only then (go file) does the subshell start the JVM, whose real parent is the subshell: the pid it was
        // told is no longer its parent, so it must refuse before taking any lock.
        String script = "( while [ ! -e " + q(go) + " ]; do sleep 0.02; done; RECIPECI_PARENT_PID=$$ "
                + ChildJvm.shellQuote(guardedCommand(NO_DEADLINE, 0)) + " > " + q(out) + " 2>&1; echo $? > "
                + q(code) + " ) & echo SUB $!";
        ChildJvm outer = shell(script);
        long sub = Long.parseLong(outer.awaitLine("SUB", LIMIT).substring(4).trim());
        track(sub);
        long outerPid = outer.pid();
        assertThat(outer.awaitExit(LIMIT)).isZero();

        Files.createFile(go);

        assertThat(awaitExited(sub, LIMIT)).isTrue();
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        Matcher started = Pattern.compile("STARTED (\\d+) ppid=(\\d+)").matcher(printed);
        assertThat(started.find()).as(printed).isTrue();
        assertThat(Long.parseLong(started.group(2)))
                .as("premise: the JVM's real parent is not the pid it was given")
                .isEqualTo(sub)
                .isNotEqualTo(outerPid);
        assertThat(printed)
                .contains("REFUSED")
                .contains("refusing to run orphaned")
                .contains("not RECIPECI_PARENT_PID=" + outerPid)
                .doesNotContain("READY");
        assertThat(Files.readString(code).trim()).isEqualTo("2");
        assertThat(marker).doesNotExist();
        Path lockFile = AppLock.lockFile(lockDir, DOMAIN);
        if (Files.exists(lockFile)) {
            assertThat(probeAndRelease()).isEqualTo(Outcome.ACQUIRED);
        }
        assertThat(lockFile).as("the refusing run never touched the lock").doesNotExist();
    }

    @Test
    void aRunBlockedOnTheAppLockIsCancelledPromptlyBySigterm() throws Exception {
        ChildJvm holder = start(ChildJvm.start(LockHolderMain.class, lockDir.toString(), DOMAIN.value()));
        holder.awaitLine("LOCKED", LIMIT);
        ChildJvm run = guarded(NO_DEADLINE, 0);
        run.awaitLineContaining("is in flight", LIMIT);

        long sentAt = System.nanoTime();
        run.signal("TERM");

        assertThat(run.awaitExit(LIMIT)).isEqualTo(Lifetime.EXIT_SIGTERM);
        // Well under the holder's forever; generous for a loaded host.
        assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofSeconds(15));
        assertThat(run.output()).doesNotContain("READY").contains("interrupted while waiting for the app lock");
        assertThat(markerLines()).containsExactly("teardown-started", "teardown-done exit=143");
        assertThat(probeAndRelease()).as("the holder's lock is untouched").isEqualTo(Outcome.HELD);
    }

    // ---------------------------------------------------------------------------------------------------------

    private List<String> guardedCommand(long deadlineMillis, long teardownMillis) {
        return ChildJvm.command(
                GuardedRunMain.class,
                lockDir.toString(),
                DOMAIN.value(),
                Long.toString(deadlineMillis),
                Long.toString(teardownMillis),
                marker.toString());
    }

    private ChildJvm guarded(long deadlineMillis, long teardownMillis) throws IOException {
        return start(ChildJvm.start(Map.of(), guardedCommand(deadlineMillis, teardownMillis)));
    }

    private ChildJvm shell(String script) throws IOException {
        return start(ChildJvm.start(Map.of(), List.of("sh", "-c", script)));
    }

    private ChildJvm start(ChildJvm child) {
        children.add(child);
        return child;
    }

    /** The guarded JVM's pid from its READY line, recorded for cleanup (it may outlive its wrapper). */
    private long readyPid(ChildJvm wrapper) throws InterruptedException {
        Matcher m = READY.matcher(wrapper.awaitLine("READY", LIMIT));
        assertThat(m.find()).isTrue();
        long pid = Long.parseLong(m.group(1));
        track(pid);
        return pid;
    }

    private void track(long pid) {
        ProcessHandle.of(pid).ifPresent(strays::add);
    }

    private Outcome probeAndRelease() {
        AppLock.Probe probe = AppLock.probe(AppLock.lockFile(lockDir, DOMAIN));
        probe.lock().ifPresent(AppLock::close);
        return probe.outcome();
    }

    private List<String> markerLines() throws IOException {
        try {
            return Files.readAllLines(marker);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static String q(Path path) {
        return ChildJvm.shellQuote(List.of(path.toString()));
    }

    private static int indexOf(List<String> lines, Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such line in:\n" + String.join("\n", lines));
    }

    /**
     * Waits until {@code pid} has exited, judged from {@code /proc}: gone, or a zombie (a re-parented process may
     * stay a zombie until its new parent reaps it, but it has already released its files and locks).
     */
    private static boolean awaitExited(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (exited(pid)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    private static boolean exited(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return true;
        }
        int close = stat.lastIndexOf(')');
        char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
        return state == 'Z' || state == 'X';
    }
}

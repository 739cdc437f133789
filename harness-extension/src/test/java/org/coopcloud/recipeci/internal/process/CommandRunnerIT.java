package org.coopcloud.recipeci.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.coopcloud.recipeci.internal.report.gitea.GiteaConfig;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.coopcloud.recipeci.internal.testsupport.CommandEnvMain;
import org.coopcloud.recipeci.internal.testsupport.RunnerHolderMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes, real process groups, real signals. */
class CommandRunnerIT {
    private final List<CommandResult> journal = new ArrayList<>();
    private final CommandRunner runner = new CommandRunner(Duration.ofMillis(500), journal::add);
    private final List<Long> spawned = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void noChildSurvives() {
        // Whatever a test started must be gone, whichever way the test ended.
        for (long pid : spawned) {
            assertThat(isLive(pid)).as("process %d is still alive", pid).isFalse();
        }
    }

    @Test
    void capturesOutputAndExitCodeWithoutThrowingOnFailure() {
        CommandResult result = runner.run(Command.of("sh", "-c", "echo out; echo err >&2; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.ok()).isFalse();
        assertThat(result.timedOut()).isFalse();
        assertThat(journal).containsExactly(result);
        assertThatThrownBy(result::orThrow)
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("err");
    }

    @Test
    void theHarnesssOwnTokenIsNotHandedToChildren() throws Exception {
        String token = "7c6b5a4938271605f4e3d2c1b0a9f8e7d6c5b4a3";
        try (ChildJvm harness = ChildJvm.start(
                Map.of(GiteaConfig.TOKEN_ENV, token, "RECIPECI_SOMETHING_ELSE", "kept"),
                ChildJvm.command(CommandEnvMain.class))) {
            assertThat(harness.awaitExit(Duration.ofSeconds(60)))
                    .as(harness.output())
                    .isZero();

            assertThat(harness.output())
                    .contains("RECIPECI_SOMETHING_ELSE=kept")
                    .doesNotContain(GiteaConfig.TOKEN_ENV)
                    .doesNotContain(token);
        }
    }

    @Test
    void childRunsInItsOwnProcessGroupAndSession() throws IOException {
        CommandResult result = runner.run(Command.of("sh", "-c", "cat /proc/$$/stat"));

        ProcessGroup.ProcStat stat = ProcessGroup.ProcStat.parse(result.stdout());
        // The group's leader is the guard that runs the command (it takes the group along when the harness dies).
        assertThat(stat.pgrp()).as("the child's group is led by its guard").isEqualTo(stat.ppid());
        assertThat(stat.pgrp()).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void stdinReachesTheChildAndNotItsArgv() {
        CommandResult result =
                runner.run(Command.of("sh", "-c", "cat; cat /proc/$$/cmdline").withStdin("s3cr3t-value"));

        assertThat(result.stdout()).startsWith("s3cr3t-value");
        assertThat(result.stdout().substring("s3cr3t-value".length())).doesNotContain("s3cr3t-value");
        assertThat(result.command().display()).doesNotContain("s3cr3t-value");
    }

    @Test
    void environmentAndWorkingDirectoryApply() {
        CommandResult result = runner.run(Command.of("sh", "-c", "echo $GREETING; pwd")
                .withEnv(java.util.Map.of("GREETING", "hi"))
                .withWorkDir(dir));

        assertThat(result.stdout()).isEqualTo("hi\n" + dir + "\n");
    }

    @Test
    void missingProgramIsAResultNotAnException() {
        CommandResult result = runner.run(Command.of("no-such-program-recipe-ci"));

        assertThat(result.ok()).isFalse();
        assertThat(result.describe()).contains("no-such-program-recipe-ci");
    }

    @Test
    void timeoutKillsTheWholeThreeLevelTree() throws Exception {
        // child sh -> grandchild sh -> great-grandchild sleep; all must die, none may stay a zombie.
        Path pids = dir.resolve("pids");
        String script = "echo $$ >> " + pids + "; sh -c 'echo $$ >> " + pids + "; sleep 300 & echo $! >> " + pids
                + "; wait' & wait";
        long started = System.nanoTime();

        CommandResult result = runner.run(Command.of("sh", "-c", script).withTimeout(Duration.ofSeconds(1)));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.ok()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        List<Long> tree = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(tree).hasSize(3);
        spawned.addAll(tree);
        for (long pid : tree) {
            assertThat(isLive(pid)).as("pid %d of the killed tree", pid).isFalse();
        }
        assertThat(runner.runningCount()).isZero();
    }

    @Test
    void membersLeftBehindByAFinishedLeaderAreKilled() throws Exception {
        Path pid = dir.resolve("bg.pid");
        CommandResult result = runner.run(Command.of("sh", "-c", "sleep 300 & echo $! > " + pid + "; exit 0"));

        assertThat(result.ok()).isTrue();
        long background = Long.parseLong(Files.readString(pid).strip());
        spawned.add(background);
        assertThat(isLive(background)).isFalse();
    }

    @Test
    void interruptKillsTheGroupAndSurfacesAsCommandInterrupted() throws Exception {
        Path pid = dir.resolve("sleep.pid");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                runner.run(Command.of("sh", "-c", "echo $$ > " + pid + "; exec sleep 300"));
            } catch (Throwable t) {
                thrown.set(t);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        worker.start();
        awaitFile(pid);
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(CommandInterruptedException.class);
        assertThat(flagKept.get()).isTrue();
        spawned.add(Long.parseLong(Files.readString(pid).strip()));
    }

    @Test
    void aChildDiesWithItsHarnessEvenWhenTheHarnessIsSigkilled() throws Exception {
        Path pid = dir.resolve("orphan.pid");
        try (org.coopcloud.recipeci.internal.testsupport.ChildJvm harness =
                org.coopcloud.recipeci.internal.testsupport.ChildJvm.start(
                        org.coopcloud.recipeci.internal.testsupport.RunnerHolderMain.class, pid.toString())) {
            awaitFile(pid);
            long child = Long.parseLong(Files.readString(pid).strip());
            spawned.add(child);

            harness.signal("KILL");
            harness.awaitExit(java.time.Duration.ofSeconds(20));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (isLive(child) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(isLive(child))
                    .as("the command outlived the SIGKILLed harness")
                    .isFalse();
        }
    }

    @Test
    void aGrandchildDiesWithItsHarnessEvenWhenTheHarnessIsSigkilled() throws Exception {
        Path pid = dir.resolve("child.pid");
        Path grandchildPid = dir.resolve("grandchild.pid");
        try (ChildJvm harness = ChildJvm.start(RunnerHolderMain.class, pid.toString(), grandchildPid.toString())) {
            awaitFile(pid);
            awaitFile(grandchildPid);
            long child = Long.parseLong(Files.readString(pid).strip());
            long grandchild = Long.parseLong(Files.readString(grandchildPid).strip());
            spawned.add(child);
            spawned.add(grandchild);

            harness.signal("KILL");
            harness.awaitExit(Duration.ofSeconds(20));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((isLive(child) || isLive(grandchild)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(isLive(grandchild))
                    .as("a grandchild of the command (docker's CLI starts plugins) outlived the SIGKILLed harness")
                    .isFalse();
            assertThat(isLive(child)).isFalse();
        }
    }

    @Test
    void aRealChildOfAHarnessHoldingTheTokensSeesNeitherUnlessHandedOver() throws Exception {
        try (org.coopcloud.recipeci.internal.testsupport.ChildJvm harness =
                org.coopcloud.recipeci.internal.testsupport.ChildJvm.start(
                        java.util.Map.of(
                                "RECIPECI_GIT_TOKEN", "harness-git-tok", "RECIPECI_GITEA_TOKEN", "harness-gitea-tok"),
                        org.coopcloud.recipeci.internal.testsupport.ChildJvm.command(
                                org.coopcloud.recipeci.internal.testsupport.TokenEnvMain.class))) {
            assertThat(harness.awaitLine("plain:", Duration.ofSeconds(30))).isEqualTo("plain: git=absent gitea=absent");
            assertThat(harness.awaitLine("handed:", Duration.ofSeconds(30)))
                    .isEqualTo("handed: git=handed-over gitea=absent");
        }
    }

    @Test
    void aChildThatNeverReadsALargeStdinStillTimesOut() {
        long started = System.nanoTime();

        CommandResult result = runner.run(
                Command.of("sleep", "30").withStdin("x".repeat(4 * 1024 * 1024)).withTimeout(Duration.ofSeconds(1)));

        assertThat(result.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void terminateAllStopsEveryRunningCommand() throws Exception {
        Path pid = dir.resolve("hung.pid");
        CompletableFuture<CommandResult> hung = hungCommand(pid);
        // The child may write its pid before the starting thread, descheduled on a loaded host, registers it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runner.runningCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(runner.runningCount()).isEqualTo(1);

        runner.terminateAll();

        CommandResult result = hung.get(30, TimeUnit.SECONDS);
        assertThat(result.ok()).isFalse();
        spawned.add(Long.parseLong(Files.readString(pid).strip()));
    }

    @Test
    void stopAllKillsTheCommandStartingNowAndStartsNoMore() throws Exception {
        Path pid = dir.resolve("starting.pid");
        CompletableFuture<CommandResult> starting = hungCommand(pid);
        // At once: the starting thread may not have registered the child yet; it kills it itself then.

        runner.stopAll();

        CommandResult result = starting.get(30, TimeUnit.SECONDS);
        assertThat(result.ok()).isFalse();
        spawned.add(Long.parseLong(Files.readString(pid).strip()));
        CommandResult after = runner.run(Command.of("true"));
        assertThat(after.ok()).isFalse();
        assertThat(after.stderr()).contains("not started: its runner was stopped");
    }

    /** A command that would sleep for five minutes, started on a thread of its own; returns once it wrote its pid. */
    private CompletableFuture<CommandResult> hungCommand(Path pid) throws InterruptedException, IOException {
        CompletableFuture<CommandResult> hung = CompletableFuture.supplyAsync(() -> runner.run(
                Command.of("sh", "-c", "echo $$ > " + pid + "; exec sleep 300").withTimeout(Duration.ofMinutes(5))));
        awaitFile(pid);
        return hung;
    }

    private static void awaitFile(Path file) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(file) && !Files.readString(file).isBlank())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the child never wrote " + file);
            }
            Thread.sleep(10);
        }
    }

    /** Alive and not a zombie, judged from /proc. */
    static boolean isLive(long pid) {
        ProcessGroup.ProcStat stat = ProcessGroup.ProcStat.read(Path.of("/proc", Long.toString(pid), "stat"));
        return stat != null && stat.state() != 'Z' && stat.state() != 'X';
    }
}

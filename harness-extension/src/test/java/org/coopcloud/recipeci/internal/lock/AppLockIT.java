package org.coopcloud.recipeci.internal.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.lock.AppLock.Outcome;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.coopcloud.recipeci.internal.testsupport.LockHolderMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app-domain lock on the real kernel: real flock(2), real processes, interop with flock(1) and Python. */
class AppLockIT {
    private static final AppDomain DOMAIN = new AppDomain("test-abc123.ci.commoninternet.net");
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path lockDir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final RunLog log = new RunLog(new PrintStream(logged, true), Optional.empty());

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private Path lockFile() {
        return AppLock.lockFile(lockDir, DOMAIN);
    }

    private ChildJvm holder(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(lockDir.toString(), DOMAIN.value()));
        args.addAll(List.of(extra));
        ChildJvm child = ChildJvm.start(LockHolderMain.class, args.toArray(String[]::new));
        cleanup.add(child);
        child.awaitLine("LOCKED", LIMIT);
        return child;
    }

    private Outcome probeAndRelease() {
        AppLock.Probe probe = AppLock.probe(lockFile());
        probe.lock().ifPresent(AppLock::close);
        return probe.outcome();
    }

    @Test
    void case1_sigkillOfTheHolderReleasesTheLock() throws Exception {
        ChildJvm child = holder();
        assertThat(probeAndRelease()).isEqualTo(Outcome.HELD);

        child.signal("KILL");
        child.awaitExit(LIMIT);

        assertThat(probeAndRelease()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void case2_nonBlockingProbeSeesHeldAndFree() {
        AppLock mine = AppLock.acquire(lockDir, DOMAIN, log);
        cleanup.add(mine);
        assertThat(mine.path()).isEqualTo(lockFile());
        assertThat(probeAndRelease())
                .as("a second open file description conflicts")
                .isEqualTo(Outcome.HELD);

        mine.close();

        assertThat(probeAndRelease()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void case3_theLockFdIsNotInheritedByChildren() throws Exception {
        ChildJvm child = holder("spawn-child");
        long grandchild = Long.parseLong(child.awaitLine("CHILD", LIMIT).split(" ")[1]);
        cleanup.add(() -> ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly));

        child.signal("KILL");
        child.awaitExit(LIMIT);

        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive))
                .as("the child lives on")
                .contains(true);
        assertThat(probeAndRelease())
                .as("yet the lock is free: the child never had the fd")
                .isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void case4_aSecondAcquireWaitsUntilTheFirstHolderExits_andSaysSoOnce() throws Exception {
        ChildJvm child = holder();
        CompletableFuture<AppLock> waiter = CompletableFuture.supplyAsync(() -> AppLock.acquire(lockDir, DOMAIN, log));

        // Until the waiter has said it waits (a loaded host may take a while to start it), then a few more polls.
        long until = System.nanoTime() + LIMIT.toNanos();
        while (!logged.toString().contains("in flight") && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        Thread.sleep(500);
        assertThat(waiter).isNotDone();
        child.signal("TERM");
        AppLock mine = waiter.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        cleanup.add(mine);

        assertThat(mine.isHeld()).isTrue();
        String text = logged.toString();
        assertThat(text).contains("another run of " + DOMAIN + " is in flight — waiting");
        assertThat(text.split("in flight", -1)).as("logged once, not per poll").hasSize(2);
    }

    @Test
    void aWaiterBlockedDuringAReapEndsUpHoldingTheLivePath() throws Exception {
        AppLock reaper = AppLock.acquire(lockDir, DOMAIN, log);
        CompletableFuture<AppLock> waiter = CompletableFuture.supplyAsync(() -> AppLock.acquire(lockDir, DOMAIN, log));
        Thread.sleep(300);

        reaper.unlink(); // what the janitor does after reaping, still holding the probe lock
        reaper.close();
        AppLock mine = waiter.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        cleanup.add(mine);

        // Not the unlinked inode (inode numbers may be reused, so ask the kernel instead): a third party opening the
        // path now must find it held — a lock on an unlinked inode would leave the path free.
        assertThat(lockFile()).exists();
        assertThat(probeAndRelease()).isEqualTo(Outcome.HELD);
    }

    @Test
    void aLockTakenOnAnInodeThatWasUnlinkedMeanwhileIsStale_andNotKept() throws Exception {
        Files.createFile(lockFile());

        // Between our open and our flock, a janitor unlinks the file and a new run creates a fresh one.
        AppLock.Probe probe = AppLock.probe(lockFile(), () -> {
            try {
                Files.delete(lockFile());
                Files.createFile(lockFile());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(probe.outcome()).isEqualTo(Outcome.STALE);
        assertThat(probe.lock()).isEmpty();
        assertThat(probeAndRelease()).as("the stale attempt let go of its fd").isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void theLockFdIsCloseOnExec() throws Exception {
        AppLock mine = AppLock.acquire(lockDir, DOMAIN, log);
        cleanup.add(mine);

        String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + mine.fd())).stream()
                .filter(l -> l.startsWith("flags:"))
                .findFirst()
                .orElseThrow()
                .substring("flags:".length())
                .strip();
        assertThat(Long.parseLong(flags, 8) & 02000000L)
                .as("O_CLOEXEC in fd flags " + flags)
                .isNotZero();
    }

    @Test
    void aBlockedAcquireEndsPromptlyOnInterrupt() throws Exception {
        holder();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                AppLock.acquire(lockDir, DOMAIN, log).close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        waiter.start();
        Thread.sleep(300);
        long interrupted = System.nanoTime();
        waiter.interrupt();
        waiter.join(LIMIT.toMillis());

        // A sanity bound (the wait polls every 100 ms); the exception below is the proof.
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(10));
        assertThat(thrown.get()).isInstanceOf(AppLock.LockInterruptedException.class);
    }

    @Test
    void acquisitionTouchesTheMtime() throws Exception {
        Files.createFile(lockFile());
        Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(Duration.ofHours(5))));

        cleanup.add(AppLock.acquire(lockDir, DOMAIN, log));

        assertThat(AppLock.lockedSince(lockFile()).orElseThrow())
                .isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    void theTidyUnlinksOnlyAFreeLockfile_andNeverMakesOne() throws Exception {
        ChildJvm flock = ChildJvm.start(
                java.util.Map.of(),
                List.of("flock", "-o", "-x", lockFile().toString(), "sh", "-c", "echo HOLDING; exec sleep 300"));
        cleanup.add(flock);
        flock.awaitLine("HOLDING", LIMIT);
        assertThat(AppLock.unlinkIfFree(lockFile())).as("held by flock(1)").isFalse();
        assertThat(lockFile()).exists();
        flock.close(); // -o: flock(1) itself holds the lock, not its sleep; its death frees it

        assertThat(AppLock.unlinkIfFree(lockFile())).as("free").isTrue();
        assertThat(lockFile()).doesNotExist();
        assertThat(AppLock.unlinkIfFree(lockFile())).as("gone").isFalse();
        assertThat(lockFile()).as("not made again").doesNotExist();
        assertThat(probeAndRelease()).as("the tidy left no lock behind").isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void theTidyNeverUnlinksAFileThatReplacedTheOneItLocked() throws Exception {
        Files.createFile(lockFile());
        // Between the tidy's open and its flock, another janitor unlinks the file and a new run makes a fresh one.
        boolean unlinked = AppLock.unlinkIfFree(lockFile(), () -> {
            try {
                Files.delete(lockFile());
                Files.createFile(lockFile());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(unlinked)
                .as("the tidy locked the old inode, not the live one")
                .isFalse();
        assertThat(lockFile()).as("the new run's lockfile").exists();
    }

    @Test
    void aFlockOneHolderBlocksUs_andWeBlockFlockOne() throws Exception {
        ChildJvm flock = ChildJvm.start(
                java.util.Map.of(),
                List.of("flock", "-x", lockFile().toString(), "sh", "-c", "echo HOLDING; exec sleep 300"));
        cleanup.add(flock);
        flock.awaitLine("HOLDING", LIMIT);
        assertThat(probeAndRelease()).isEqualTo(Outcome.HELD);
        flock.close();

        cleanup.add(AppLock.acquire(lockDir, DOMAIN, log));
        Process attempt = new ProcessBuilder("flock", "-n", "-x", lockFile().toString(), "true").start();
        assertThat(attempt.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(attempt.exitValue()).as("flock -n fails while we hold it").isEqualTo(1);
    }

    @Test
    void aPythonFcntlFlockHolderBlocksUs_andWeBlockPython() throws Exception {
        String hold = "import fcntl,sys,time\n"
                + "f=open(sys.argv[1],'a+')\nfcntl.flock(f,fcntl.LOCK_EX)\nprint('HOLDING',flush=True)\ntime.sleep(300)\n";
        ChildJvm python = ChildJvm.start(
                java.util.Map.of(), List.of("python3", "-c", hold, lockFile().toString()));
        cleanup.add(python);
        python.awaitLine("HOLDING", LIMIT);
        assertThat(probeAndRelease()).isEqualTo(Outcome.HELD);
        python.close();

        cleanup.add(AppLock.acquire(lockDir, DOMAIN, log));
        String tryLock = "import fcntl,sys\nf=open(sys.argv[1],'a+')\n"
                + "try:\n  fcntl.flock(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\nexcept BlockingIOError:\n  sys.exit(7)\n";
        Process attempt =
                new ProcessBuilder("python3", "-c", tryLock, lockFile().toString()).start();
        assertThat(attempt.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(attempt.exitValue()).as("python's LOCK_NB sees our lock").isEqualTo(7);
    }

    @Test
    void aDirectoryInPlaceOfTheLockfileIsUnopenable_andAcquireSaysHowToFix() throws Exception {
        Files.createDirectories(lockFile());

        assertThat(AppLock.probe(lockFile()).outcome()).isEqualTo(Outcome.UNOPENABLE);
        assertThatThrownBy(() -> AppLock.acquire(lockDir, DOMAIN, log))
                .hasMessageContaining("cannot open the app lockfile")
                .hasMessageContaining("recipeci.lock-dir");
    }
}

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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.run.AppDomains;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.coopcloud.recipeci.internal.testsupport.LockHolderMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flock-probe janitor's decision table on real locks. The apps and the reap are injected (a recorder); the
 * locks, their holders and their lifetimes are real.
 */
class JanitorIT {
    private static final String SUFFIX = "ci.commoninternet.net";
    private static final AppDomain ORPHAN = new AppDomain("test-abc123." + SUFFIX);
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path lockDir;

    private final Set<AppDomain> apps = new LinkedHashSet<>();
    private final List<AppDomain> reaps = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final RunLog log = new RunLog(new PrintStream(logged, true), Optional.empty());

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** The owner labels the swarm shows: by default every app is this runner's (see {@link #owned}). */
    private final Map<AppDomain, Owner> labels = new LinkedHashMap<>();

    private Map<AppDomain, Owner> owned(Set<AppDomain> candidates) {
        Map<AppDomain, Owner> owners = new LinkedHashMap<>();
        candidates.forEach(d -> owners.put(d, labels.getOrDefault(d, new Owner(RunnerId.of(lockDir), "it-run"))));
        labels.forEach((d, o) -> {
            if (o == null) {
                owners.remove(d); // an app without owner labels
            }
        });
        return owners;
    }

    private Janitor janitor(Function<AppDomain, List<String>> reap) {
        return janitor(lockDir, reap);
    }

    private Janitor janitor(Path dir, Function<AppDomain, List<String>> reap) {
        return new Janitor(
                RunnerId.of(dir),
                AppDomains.runAppPattern(SUFFIX),
                Duration.ofHours(2),
                () -> Set.copyOf(apps),
                this::owned,
                reap,
                log);
    }

    /** A reap that records the domain and, like a real teardown, makes the app disappear. */
    private Janitor janitor() {
        return janitor(domain -> {
            reaps.add(domain);
            apps.remove(domain);
            return List.of();
        });
    }

    private ChildJvm liveRun(AppDomain domain) throws Exception {
        ChildJvm holder = ChildJvm.start(LockHolderMain.class, lockDir.toString(), domain.value());
        cleanup.add(holder);
        holder.awaitLine("LOCKED", LIMIT);
        return holder;
    }

    @Test
    void case5_anOrphanIsReapedOnce_andItsLockfileUnlinked() throws Exception {
        ChildJvm run = liveRun(ORPHAN);
        apps.add(ORPHAN);
        run.signal("KILL");
        run.awaitExit(LIMIT);

        Janitor.Report report = janitor().sweep();

        assertThat(reaps).containsExactly(ORPHAN);
        assertThat(report.reaped()).containsExactly(ORPHAN);
        assertThat(AppLock.lockFile(lockDir, ORPHAN)).doesNotExist();
        assertThat(janitor().sweep().reaped()).as("nothing left to reap").isEmpty();
    }

    @Test
    void case6_aLiveRunIsNeverReaped_andIsLoggedAsLive() throws Exception {
        liveRun(ORPHAN);
        apps.add(ORPHAN);

        Janitor.Report report = janitor().sweep();

        assertThat(reaps).isEmpty();
        assertThat(report.live()).containsExactly(ORPHAN);
        assertThat(logged.toString()).contains(ORPHAN + " belongs to a live run");
        assertThat(AppLock.lockFile(lockDir, ORPHAN)).exists();
    }

    @Test
    void case7_aNewRunOfTheDomainWaitsUntilTheReapFinishes() throws Exception {
        apps.add(ORPHAN);
        CountDownLatch reaping = new CountDownLatch(1);
        long[] reapEnded = new long[1];
        CompletableFuture<Janitor.Report> sweep = CompletableFuture.supplyAsync(() -> janitor(domain -> {
                    reaping.countDown();
                    sleep(1500);
                    reapEnded[0] = System.nanoTime();
                    return List.of();
                })
                .sweep());
        assertThat(reaping.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        AppLock newRun = AppLock.acquire(lockDir, ORPHAN, log);
        long acquired = System.nanoTime();
        cleanup.add(newRun);

        assertThat(sweep.get(LIMIT.toSeconds(), TimeUnit.SECONDS).reaped()).containsExactly(ORPHAN);
        assertThat(acquired).as("the new run got the lock only after the reap").isGreaterThan(reapEnded[0]);
        assertThat(newRun.isHeld()).isTrue();
    }

    @Test
    void case8_twoRacingJanitorsReapExactlyOnce() throws Exception {
        apps.add(ORPHAN);
        Function<AppDomain, List<String>> slowReap = domain -> {
            reaps.add(domain);
            sleep(800);
            return List.of();
        };
        CompletableFuture<Janitor.Report> first =
                CompletableFuture.supplyAsync(() -> janitor(slowReap).sweep());
        CompletableFuture<Janitor.Report> second =
                CompletableFuture.supplyAsync(() -> janitor(slowReap).sweep());

        List<AppDomain> reaped =
                new ArrayList<>(first.get(LIMIT.toSeconds(), TimeUnit.SECONDS).reaped());
        reaped.addAll(second.get(LIMIT.toSeconds(), TimeUnit.SECONDS).reaped());

        assertThat(reaps).containsExactly(ORPHAN);
        assertThat(reaped).containsExactly(ORPHAN);
    }

    @Test
    void case9_afterARebootTheLockfileIsGone_andTheAppIsReapedAtOnce() {
        apps.add(ORPHAN); // the app survived, /run/lock (tmpfs) did not

        Janitor.Report report = janitor().sweep();

        assertThat(report.reaped()).containsExactly(ORPHAN);
        assertThat(AppLock.lockFile(lockDir, ORPHAN)).doesNotExist();
    }

    @Test
    void case10_aLockHeldForTooLongIsFlagged_neverStolen() throws Exception {
        liveRun(ORPHAN);
        apps.add(ORPHAN);
        Files.setLastModifiedTime(
                AppLock.lockFile(lockDir, ORPHAN), FileTime.from(Instant.now().minus(Duration.ofHours(3))));

        Janitor.Report report = janitor().sweep();

        assertThat(reaps).isEmpty();
        assertThat(report.live()).containsExactly(ORPHAN);
        assertThat(logged.toString()).contains("possible leaked run").contains("lslocks");
    }

    @Test
    void case11_warmAndCanonicalAppsAreNeverProbed() {
        AppDomain warm = new AppDomain("warm-keycloak." + SUFFIX);
        AppDomain canonical = new AppDomain("hello." + SUFFIX);
        AppDomain elsewhere = new AppDomain("test-abc123.example.org");
        apps.addAll(List.of(warm, canonical, elsewhere));

        janitor().sweep();

        assertThat(reaps).isEmpty();
        assertThat(lockDir).isEmptyDirectory();
    }

    @Test
    void case12_anUnopenableLockfileIsSkippedWithALogLine() throws Exception {
        apps.add(ORPHAN);
        Files.createDirectories(AppLock.lockFile(lockDir, ORPHAN));

        Janitor.Report report = janitor().sweep();

        assertThat(reaps).isEmpty();
        assertThat(report.skipped()).containsExactly(ORPHAN);
        assertThat(logged.toString()).contains("cannot open lockfile");
    }

    @Test
    void case12b_aMissingLockDirectoryIsSkippedWithALogLine() {
        apps.add(ORPHAN);
        labels.put(ORPHAN, new Owner(RunnerId.of(lockDir.resolve("absent")), "it-run"));
        Janitor janitor = janitor(lockDir.resolve("absent"), d -> {
            reaps.add(d);
            return List.of();
        });

        janitor.sweep();

        assertThat(reaps).isEmpty();
        assertThat(logged.toString()).contains("does not exist");
    }

    @Test
    void anAppOfAnotherRunnerIsLeftAloneAndTheLogSaysWhoseItIs(@TempDir Path otherLockDir) {
        // The reproduction of issue 13: a live run locks in one directory; a run with another lock directory must not
        // probe its lockfile (it would find it free: the lock is elsewhere) and reap it.
        apps.add(ORPHAN);
        Owner other = new Owner(RunnerId.of(otherLockDir), "live-run-7");
        labels.put(ORPHAN, other);

        Janitor.Report report = janitor().sweep();

        assertThat(reaps).isEmpty();
        assertThat(report.othersOwn()).containsExactly(ORPHAN);
        assertThat(AppLock.lockFile(lockDir, ORPHAN)).as("not even probed").doesNotExist();
        assertThat(logged.toString())
                .contains(ORPHAN + " belongs to runner " + RunnerId.of(otherLockDir) + " (run live-run-7)")
                .contains("leaving it");
    }

    @Test
    void anAppWithoutOwnerLabelsIsJudgedOnlyByARunnerOnRunLock() {
        apps.add(ORPHAN);
        labels.put(ORPHAN, null);

        Janitor.Report report = janitor().sweep();

        assertThat(reaps).isEmpty();
        assertThat(report.othersOwn()).containsExactly(ORPHAN);
        assertThat(logged.toString()).contains("carries no owner labels");
        assertThat(Janitor.judges(RunnerId.of(Path.of("/run/lock")), null)).isTrue();
        assertThat(Janitor.judges(RunnerId.of(lockDir), null)).isFalse();
    }

    @Test
    void anInterruptEndsTheSweepAtOnce() {
        AppDomain second = new AppDomain("tost-abc123." + SUFFIX);
        apps.add(ORPHAN);
        apps.add(second);

        Janitor janitor = janitor(domain -> {
            reaps.add(domain);
            Thread.currentThread().interrupt(); // SIGTERM during the first reap
            return List.of("volume " + domain.stackName() + "_data");
        });

        assertThatThrownBy(janitor::sweep).isInstanceOf(Janitor.SweepInterruptedException.class);
        assertThat(Thread.interrupted()).as("the flag stays set for the caller").isTrue();
        // The sweep's order is the listing's (a set): whichever came first was the only one reaped.
        assertThat(reaps).as("nothing reaped after the interrupt").hasSize(1);
        assertThat(AppLock.lockFile(lockDir, reaps.get(0)))
                .as("the cut-short reap keeps its lockfile")
                .exists();
    }

    @Test
    void anAppWhoseRunEndedAfterTheListingIsNotReaped_andTheProbeLeavesNoLockfile() {
        // Seen in FaultMatrixIT: a janitor listed a live run's app, reaped others for ten seconds, then probed it after
        // its run had torn it down and unlinked its lockfile — the probe made a new one, the deadline cut the
        // (empty) reap short, and the new lockfile stayed.
        apps.add(ORPHAN);
        Janitor janitor = new Janitor(
                RunnerId.of(lockDir),
                AppDomains.runAppPattern(SUFFIX),
                Duration.ofHours(2),
                () -> Set.copyOf(apps),
                candidates -> {
                    Map<AppDomain, Owner> owners = owned(candidates);
                    apps.remove(ORPHAN); // its run ends between the listing and the probe
                    return owners;
                },
                domain -> {
                    reaps.add(domain);
                    Thread.currentThread().interrupt();
                    return List.of();
                },
                log);

        Janitor.Report report = janitor.sweep();

        assertThat(reaps).isEmpty();
        assertThat(report.reaped()).isEmpty();
        assertThat(AppLock.lockFile(lockDir, ORPHAN)).doesNotExist();
        assertThat(logged.toString()).contains("is gone already");
    }

    @Test
    void aReapThatLeavesResidueKeepsTheLockfileForTheNextJanitor() {
        apps.add(ORPHAN);

        Janitor.Report report = janitor(domain -> List.of("volume " + domain.stackName() + "_data"))
                .sweep();

        assertThat(report.reaped()).isEmpty();
        assertThat(report.skipped()).containsExactly(ORPHAN);
        assertThat(AppLock.lockFile(lockDir, ORPHAN)).exists();
        assertThat(logged.toString()).contains("left volume");
    }

    @Test
    void staleUnheldLockfilesWithoutAnAppAreTidied_heldOnesStay() throws Exception {
        AppDomain gone = new AppDomain("gone-aaaaaa." + SUFFIX);
        AppDomain live = new AppDomain("live-bbbbbb." + SUFFIX);
        Files.createFile(AppLock.lockFile(lockDir, gone));
        liveRun(live);
        Path foreign = Files.createFile(lockDir.resolve("something-else.lock"));

        Janitor janitor = janitor();
        Janitor.Report report = janitor.sweep();

        assertThat(AppLock.lockFile(lockDir, gone))
                .as("the sweep leaves housekeeping to the tidy")
                .exists();
        assertThat(janitor.tidyInBackground(report).await(Duration.ofSeconds(30)))
                .as("the tidy, on its own thread")
                .contains(List.of(AppLock.lockFile(lockDir, gone)));
        assertThat(AppLock.lockFile(lockDir, gone)).doesNotExist();
        assertThat(AppLock.lockFile(lockDir, live)).exists();
        assertThat(foreign).exists();
        assertThat(reaps).isEmpty();
    }

    @Test
    void aTidyStoppedByTheRunsEndLeavesTheRestForTheNextJanitor() throws Exception {
        for (int i = 0; i < 5000; i++) {
            Files.createFile(AppLock.lockFile(lockDir, new AppDomain(String.format("gone-%06d.", i) + SUFFIX)));
        }
        Janitor janitor = janitor();

        Janitor.Tidying tidying = janitor.tidyInBackground(janitor.sweep());
        tidying.close();

        try (var left = Files.list(lockDir)) {
            assertThat(left.count())
                    .as("stopped between two files, well before the 5000th")
                    .isPositive();
        }
        assertThat(janitor.tidy(janitor.sweep()))
                .as("the next janitor tidies what is left")
                .isNotEmpty();
        try (var left = Files.list(lockDir)) {
            assertThat(left.count()).isZero();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.coopcloud.recipeci.internal.lock;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.log.RunLog;

/**
 * Reaps the apps of runs that died, at every run start, and never touches a live one. A run holds its app's lock
 * for as long as it lives, so a lock that can be taken means its owner is gone — the kernel guarantees it, but only
 * for a lock in the directory the owner locked in. So an app is judged only when its owner labels name this runner
 * ({@link RunnerId}: this host, this lock directory); another runner's app is left alone, and the log says whose it
 * is.
 *
 * <table>
 *   <caption>Decision per candidate domain</caption>
 *   <tr><th>owner</th><th>probe</th><th>meaning</th><th>action</th></tr>
 *   <tr><td>another runner</td><td>none</td><td>its lock is elsewhere: nothing proves it dead</td><td>leave it,
 *       naming the owner</td></tr>
 *   <tr><td>none (cc-ci's, or from before owner labels)</td><td>only by a runner on {@code /run/lock}, cc-ci's
 *       directory</td><td>as below</td><td>elsewhere: leave it</td></tr>
 *   <tr><td>this runner</td><td>acquired, inode matches</td><td>owner died</td><td>reap while holding the lock,
 *       unlink the lockfile, release</td></tr>
 *   <tr><td>this runner</td><td>acquired, inode stale</td><td>another janitor reaped it meanwhile</td><td>skip</td></tr>
 *   <tr><td>this runner</td><td>held</td><td>live run</td><td>leave it; warn when held longer than 2× the deadline —
 *       never steal</td></tr>
 *   <tr><td>this runner</td><td>cannot open</td><td>garbled lockfile or missing dir</td><td>skip with a log
 *       line</td></tr>
 * </table>
 *
 * Candidates are the run apps the deploy driver lists (env files and a service sweep), filtered by the strict
 * run-app pattern: warm and canonical apps never match, so they are never probed. An interrupt (SIGTERM, the
 * deadline) ends the sweep at once; a reap it cut short keeps its lockfile for the next janitor.
 */
public final class Janitor {
    /** cc-ci's lock directory: apps without owner labels locked there, if anywhere. */
    static final Path UNLABELLED_LOCK_DIR = Path.of("/run/lock");

    private final Path lockDir;
    private final RunnerId self;
    private final Pattern runApps;
    private final Duration longHeld;
    private final Supplier<Set<AppDomain>> apps;
    private final Function<Set<AppDomain>, Map<AppDomain, Owner>> owners;
    private final Function<AppDomain, List<String>> reap;
    private final RunLog log;

    /**
     * @param self this run's runner: only its apps are judged
     * @param apps every app the deploy target knows (the janitor filters them)
     * @param owners the owners the labels and env files of these apps name (an app without any is absent)
     * @param reap tears an app down and returns what is left of it
     * @param longHeld a held lock older than this is reported as a possible leaked run (2× the deadline)
     */
    public Janitor(
            RunnerId self,
            Pattern runApps,
            Duration longHeld,
            Supplier<Set<AppDomain>> apps,
            Function<Set<AppDomain>, Map<AppDomain, Owner>> owners,
            Function<AppDomain, List<String>> reap,
            RunLog log) {
        this.lockDir = self.lockDir();
        this.self = self;
        this.runApps = runApps;
        this.longHeld = longHeld;
        this.apps = apps;
        this.owners = owners;
        this.reap = reap;
        this.log = log;
    }

    /** What one sweep did, for logs and tests. */
    public record Report(
            List<AppDomain> reaped,
            List<AppDomain> live,
            List<AppDomain> skipped,
            List<AppDomain> othersOwn,
            Set<AppDomain> seen) {
        public Report {
            seen = Set.copyOf(seen);
        }
    }

    /**
     * @throws SweepInterruptedException when the run is stopped meanwhile (the interrupt flag is set again)
     */
    public Report sweep() {
        List<AppDomain> reaped = new ArrayList<>();
        List<AppDomain> live = new ArrayList<>();
        List<AppDomain> skipped = new ArrayList<>();
        List<AppDomain> others = new ArrayList<>();
        Set<AppDomain> candidates = new LinkedHashSet<>();
        for (AppDomain app : apps.get()) {
            if (runApps.matcher(app.value()).matches()) {
                candidates.add(app);
            }
        }
        Map<AppDomain, Owner> owned = candidates.isEmpty() ? Map.of() : owners.apply(candidates);
        Set<AppDomain> mine = new LinkedHashSet<>();
        for (AppDomain domain : candidates) {
            Owner owner = owned.get(domain);
            if (owner != null && !owner.runner().equals(self)) {
                log.info("janitor: " + domain + " belongs to " + owner + ", not to this runner (" + self
                        + ") — its lock is not in " + lockDir + ", so nothing here can prove its run dead: leaving it");
                others.add(domain);
            } else if (owner == null && !judgesUnlabelled()) {
                log.info("janitor: " + domain + " carries no owner labels (cc-ci's, or an older recipe-ci's): its"
                        + " lock would be in " + UNLABELLED_LOCK_DIR + ", not in " + lockDir + " — leaving it");
                others.add(domain);
            } else {
                mine.add(domain);
            }
        }
        if (!Files.isDirectory(lockDir)) {
            log.info("janitor: lock directory " + lockDir + " does not exist — nothing to probe, skipping");
            skipped.addAll(mine);
            return new Report(reaped, live, skipped, others, candidates);
        }
        for (AppDomain domain : mine) {
            stopIfInterrupted();
            Path path = AppLock.lockFile(lockDir, domain);
            AppLock.Probe probe = AppLock.probeExisting(path);
            if (probe.outcome() == AppLock.Outcome.ABSENT) {
                if (!apps.get().contains(domain)) {
                    // Its run tore it down and unlinked its lockfile after the listing: nothing to do, and no new
                    // lockfile made for it.
                    log.info("janitor: " + domain + " is gone already (its run ended meanwhile)");
                    continue;
                }
                // On the swarm without a lockfile (a reboot emptied the lock directory; a run unlinks its lockfile
                // only once its app is gone): lock a new one to reap it.
                probe = AppLock.probe(path);
            }
            switch (probe.outcome()) {
                case ACQUIRED -> {
                    try (AppLock lock = probe.lock().orElseThrow()) {
                        log.info("janitor: " + domain + " has no live run (its lock was free) — reaping the orphan");
                        List<String> left = reap.apply(domain);
                        stopIfInterrupted();
                        if (left.isEmpty()) {
                            lock.unlink();
                            reaped.add(domain);
                        } else {
                            // Keep the lockfile: the next janitor probes it again and retries.
                            log.warn("janitor: reaping " + domain + " left " + String.join(", ", left));
                            skipped.add(domain);
                        }
                    } catch (RecipeCiException e) {
                        stopIfInterrupted();
                        log.warn("janitor: reaping " + domain + " failed: " + e.getMessage());
                        skipped.add(domain);
                    }
                }
                case STALE -> {
                    log.info("janitor: " + domain + " was reaped by another janitor meanwhile — skipping");
                    skipped.add(domain);
                }
                case HELD -> {
                    live.add(domain);
                    Instant since = AppLock.lockedSince(path).orElse(Instant.now());
                    if (Duration.between(since, Instant.now()).compareTo(longHeld) > 0) {
                        log.warn("janitor: lock for " + domain + " held for more than " + longHeld.toMinutes()
                                + " min — possible leaked run; inspect with `lslocks | grep " + path.getFileName()
                                + "` (never stolen)");
                    } else {
                        log.info("janitor: " + domain + " belongs to a live run — leaving it");
                    }
                }
                case UNOPENABLE -> {
                    log.info(
                            "janitor: cannot open lockfile " + path + " (" + probe.detail() + ") — skipping " + domain);
                    skipped.add(domain);
                }
                default -> throw new IllegalStateException(probe.outcome().name());
            }
        }
        stopIfInterrupted();
        return new Report(reaped, live, skipped, others, candidates);
    }

    /**
     * Tidies on a daemon thread of its own ({@link #tidy}): a run does not wait for housekeeping, and the lock
     * protocol keeps the two apart (a tidy that takes a lockfile this run is about to lock makes the run's identity
     * check fail, and the run locks a fresh file). {@link Tidying#close} stops it between two files.
     */
    public Tidying tidyInBackground(Report after) {
        Tidying tidying = new Tidying();
        Thread thread = new Thread(
                () -> {
                    long started = System.nanoTime();
                    List<Path> tidied = tidy(after);
                    tidying.done(tidied);
                    if (!tidied.isEmpty()) {
                        log.detail("janitor: tidied " + tidied.size() + " stale lockfile(s) of dead runs in "
                                + (System.nanoTime() - started) / 1_000_000 + " ms, alongside the run");
                    }
                },
                "recipe-ci-janitor-tidy");
        thread.setDaemon(true);
        tidying.thread = thread;
        thread.start();
        return tidying;
    }

    /** A tidy on its own thread. */
    public static final class Tidying implements AutoCloseable {
        private volatile Thread thread;
        private volatile List<Path> tidied;

        private void done(List<Path> paths) {
            tidied = List.copyOf(paths);
        }

        /** Waits up to {@code limit} for the tidy to end; what it unlinked, if it ended. */
        public Optional<List<Path>> await(Duration limit) throws InterruptedException {
            thread.join(Math.max(1, limit.toMillis()));
            return Optional.ofNullable(tidied);
        }

        /** Stops the tidy between two files and waits a moment for it (it holds no lock across files). */
        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Apps without owner labels (cc-ci's, whose lock directory is {@code /run/lock}, and recipe-ci's from before the
     * labels) can be judged only by a runner that locks there too.
     */
    private boolean judgesUnlabelled() {
        return judges(self, null);
    }

    /**
     * Whether {@code self} can prove the owner of an app dead by its lock: the app is {@code self}'s own, or it
     * carries no owner and {@code self} locks in {@code /run/lock}, where cc-ci does.
     *
     * @param owner the app's owner; null when it carries none
     */
    public static boolean judges(RunnerId self, Owner owner) {
        return owner != null
                ? owner.runner().equals(self)
                : self.lockDir().equals(RunnerId.canonical(UNLABELLED_LOCK_DIR));
    }

    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new SweepInterruptedException();
        }
    }
    /**
     * Unlinks unheld lockfiles of run apps that are not on the swarm (as {@code after}'s sweep saw it), each under
     * its own probe lock and identity check; stops between two files at an interrupt.
     */
    public List<Path> tidy(Report after) {
        List<Path> tidied = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        after.seen().forEach(d -> seen.add(d.value()));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(lockDir, AppLock.PREFIX + "*" + AppLock.SUFFIX)) {
            for (Path file : files) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                AppLock.domainOf(file)
                        .filter(d -> runApps.matcher(d).matches())
                        .filter(d -> !seen.contains(d))
                        .filter(d -> AppLock.unlinkIfFree(file))
                        .ifPresent(d -> tidied.add(file));
            }
        } catch (IOException | RuntimeException e) {
            log.info("janitor: cannot list " + lockDir + " (" + e.getMessage() + ") — skipping the tidy sweep");
        }
        return tidied;
    }

    /** The run was stopped (SIGTERM, the deadline) while the janitor swept. */
    public static final class SweepInterruptedException extends RecipeCiException {
        private static final long serialVersionUID = 1L;

        SweepInterruptedException() {
            super("interrupted while the janitor swept the swarm for orphans");
        }
    }
}

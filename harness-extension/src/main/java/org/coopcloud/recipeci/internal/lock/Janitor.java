package org.coopcloud.recipeci.internal.lock;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.log.RunLog;

/**
 * Reaps the apps of runs that died, at every run start, and never touches a live one. A run holds its app's lock
 * for as long as it lives, so a lock that can be taken means its owner is gone — the kernel guarantees it.
 *
 * <table>
 *   <caption>Decision per candidate domain</caption>
 *   <tr><th>probe</th><th>meaning</th><th>action</th></tr>
 *   <tr><td>acquired, inode matches</td><td>owner died</td><td>reap while holding the lock, unlink the
 *       lockfile, release</td></tr>
 *   <tr><td>acquired, inode stale</td><td>another janitor reaped it meanwhile</td><td>skip</td></tr>
 *   <tr><td>held</td><td>live run</td><td>leave it; warn when held longer than 2× the deadline — never
 *       steal</td></tr>
 *   <tr><td>cannot open</td><td>garbled lockfile or missing dir</td><td>skip with a log line</td></tr>
 * </table>
 *
 * Candidates are the run apps the deploy driver lists (env files and a service sweep), filtered by the strict
 * run-app pattern: warm and canonical apps never match, so they are never probed.
 */
public final class Janitor {
    private final Path lockDir;
    private final Pattern runApps;
    private final Duration longHeld;
    private final Supplier<Set<AppDomain>> apps;
    private final Function<AppDomain, List<String>> reap;
    private final RunLog log;

    /**
     * @param apps every app the deploy target knows (the janitor filters them)
     * @param reap tears an app down and returns what is left of it
     * @param longHeld a held lock older than this is reported as a possible leaked run (2× the deadline)
     */
    public Janitor(
            Path lockDir,
            Pattern runApps,
            Duration longHeld,
            Supplier<Set<AppDomain>> apps,
            Function<AppDomain, List<String>> reap,
            RunLog log) {
        this.lockDir = lockDir;
        this.runApps = runApps;
        this.longHeld = longHeld;
        this.apps = apps;
        this.reap = reap;
        this.log = log;
    }

    /** What one sweep did, for logs and tests. */
    public record Report(List<AppDomain> reaped, List<AppDomain> live, List<AppDomain> skipped, List<Path> tidied) {}

    public Report sweep() {
        List<AppDomain> reaped = new ArrayList<>();
        List<AppDomain> live = new ArrayList<>();
        List<AppDomain> skipped = new ArrayList<>();
        Set<AppDomain> candidates = new LinkedHashSet<>();
        for (AppDomain app : apps.get()) {
            if (runApps.matcher(app.value()).matches()) {
                candidates.add(app);
            }
        }
        if (!Files.isDirectory(lockDir)) {
            log.info("janitor: lock directory " + lockDir + " does not exist — nothing to probe, skipping");
            return new Report(reaped, live, new ArrayList<>(candidates), List.of());
        }
        for (AppDomain domain : candidates) {
            Path path = AppLock.lockFile(lockDir, domain);
            AppLock.Probe probe = AppLock.probe(path);
            switch (probe.outcome()) {
                case ACQUIRED -> {
                    try (AppLock lock = probe.lock().orElseThrow()) {
                        log.info("janitor: " + domain + " has no live run (its lock was free) — reaping the orphan");
                        List<String> left = reap.apply(domain);
                        if (left.isEmpty()) {
                            lock.unlink();
                            reaped.add(domain);
                        } else {
                            // Keep the lockfile: the next janitor probes it again and retries.
                            log.warn("janitor: reaping " + domain + " left " + String.join(", ", left));
                            skipped.add(domain);
                        }
                    } catch (RecipeCiException e) {
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
        return new Report(reaped, live, skipped, tidy(candidates));
    }

    /** Unlinks unheld lockfiles that have no app behind them (under their own probe lock and identity check). */
    private List<Path> tidy(Set<AppDomain> candidates) {
        List<Path> tidied = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(lockDir, AppLock.PREFIX + "*" + AppLock.SUFFIX)) {
            for (Path file : files) {
                AppLock.domainOf(file)
                        .filter(d -> runApps.matcher(d).matches())
                        .filter(d ->
                                candidates.stream().noneMatch(c -> c.value().equals(d)))
                        .ifPresent(d -> {
                            AppLock.Probe probe = AppLock.probe(file);
                            probe.lock().ifPresent(lock -> {
                                try (lock) {
                                    lock.unlink();
                                    tidied.add(file);
                                }
                            });
                        });
            }
        } catch (IOException | RuntimeException e) {
            log.info("janitor: cannot list " + lockDir + " (" + e.getMessage() + ") — skipping the tidy sweep");
        }
        return tidied;
    }
}

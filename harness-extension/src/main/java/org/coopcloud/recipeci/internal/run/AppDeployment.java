package org.coopcloud.recipeci.internal.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.lock.Janitor;
import org.coopcloud.recipeci.internal.lock.Owner;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/**
 * One app of a run on a domain of its own — the recipe under test, or one of its dependencies — and everything the
 * run does to it: take the domain's lock and clear what a dead run left there, create and deploy it until it is
 * ready, redeploy it in place, wait for it, tear it down. One deploy deadline covers converging and becoming ready.
 */
final class AppDeployment {
    private final AppDomain domain;
    private final RecipeProfile profile;
    private final RunSetup setup;
    private final DeployCounter counter;
    private AppLock lock;
    /** The lock is held and nothing of the domain was on the swarm before this run created anything. */
    private boolean clearBeforeCreate;

    /** Set before the driver's create starts: what a stopped create made (env file, secrets) is the run's to remove. */
    private volatile boolean creating;

    private AppInstance created;
    private LiveApp app;

    AppDeployment(AppDomain domain, RecipeProfile profile, RunSetup setup, DeployCounter counter) {
        this.domain = domain;
        this.profile = profile;
        this.setup = setup;
        this.counter = counter;
    }

    AppDomain domain() {
        return domain;
    }

    /**
     * Takes the domain's lock, waiting while a run of the same code holds it. With the lock held, anything of the
     * domain on the swarm that this runner owns belongs to a run that is gone (it died while this one waited, or its
     * reap left residue): it is removed before anything is created. Anything another runner owns — a run of the same
     * code on another lock directory or host, whose lock is not this one — is left alone, and the run stops: nothing
     * here can tell whether that run lives. The lock comes before the app, so a janitor never sees a run app whose
     * lock is free while its run lives.
     *
     * @throws DeployFailedException when a dead run's leftovers cannot be removed
     * @throws RecipeConfigurationException when another runner has an app on the domain
     */
    void lock() {
        RunLog log = setup.log();
        lock = AppLock.acquire(setup.config().paths().lockDir(), domain, log);
        log.info(domain + ": app lock held (" + lock.path() + ")");
        List<String> found = driver().view().leftovers(domain);
        if (found.isEmpty()) {
            clearBeforeCreate = true;
            return;
        }
        Owner owner = driver().view().owners(Set.of(domain)).get(domain);
        if (!Janitor.judges(setup.runnerId(), owner)) {
            lock.unlink();
            lock.close();
            lock = null;
            throw new RecipeConfigurationException(domain + " is on this swarm as "
                    + (owner == null ? "an app without owner labels (cc-ci's?)" : "an app of " + owner)
                    + ", which this run cannot prove dead: its lock is not in "
                    + setup.runnerId().lockDir()
                    + ". Runs of one swarm must share one lock directory (recipeci.lock-dir) to serialise — nothing was"
                    + " created; run again once that run is over");
        }
        log.warn(domain + ": a dead run left " + String.join(", ", found) + " — removing it before creating the app");
        List<String> left = driver().teardown(domain);
        if (!left.isEmpty()) {
            throw new DeployFailedException("cannot create " + domain + ": a dead run's " + String.join(", ", left)
                    + " cannot be removed — remove it by hand (docker stack rm / volume rm / secret rm)");
        }
        clearBeforeCreate = true;
    }

    /** Creates the app from {@code source} (env, secrets, the profile's overlay and install steps) and deploys it. */
    LiveApp install(RecipeSource source) {
        counter.recordCreation(domain);
        // From here on the teardown must look: a stop in the middle of create leaves an env file or secrets before
        // create returns the instance.
        creating = true;
        AppInstance instance = driver().create(source, domain, profile.extraEnv(), setup.secrets());
        created = instance;
        instance = AppPreparation.installSteps(profile, AppPreparation.overlay(profile, instance, source.workTree()));
        created = instance;
        app = new LiveApp(instance, source, profile, driver().view());
        deploy(instance, source);
        return app;
    }

    /** Redeploys the app in place at {@code source} (the upgrade), with {@code extraEnv} set on top of its env. */
    void redeploy(RecipeSource source, Map<String, String> extraEnv) {
        AppInstance after = driver().reconfigure(app.instance(), source, extraEnv, setup.secrets());
        app.upgraded(after, source);
        deploy(after, source);
    }

    /**
     * Restores {@code snapshot} into the running app and waits until it is ready again; restoring and becoming ready
     * share one deploy deadline, as deploying and becoming ready do.
     */
    void restore(Snapshot snapshot) {
        long deadline = System.nanoTime() + profile.deployTimeout().toNanos();
        driver().restore(app.instance(), snapshot);
        awaitReady(deadline);
    }

    private void deploy(AppInstance instance, RecipeSource source) {
        long deadline = System.nanoTime() + profile.deployTimeout().toNanos();
        // Now the run mostly waits for swarm: the first deploy's convergence takes seconds and no tier runs before.
        Warmup.start();
        driver().deploy(instance, source, profile.deployTimeout());
        awaitReady(deadline);
    }

    /** Waits until the app is ready, for what is left of the deadline (at least a second, for one probe). */
    private void awaitReady(long deadlineNanos) {
        app.awaitReady(setup.log(), Duration.ofNanos(Math.max(deadlineNanos - System.nanoTime(), 1_000_000_000L)));
    }

    /** The deployed app; null before {@link #install}. */
    LiveApp app() {
        return app;
    }

    /** The app as the run last created or changed it; null before it was created. */
    AppInstance instance() {
        return app != null ? app.instance() : created;
    }

    /** Whether the run began to create the app (a create a stop cut short counts: it may have left an env file). */
    boolean created() {
        return creating || created != null;
    }

    /** Whether the run holds the domain's lock: from then on, whatever is on the domain is the run's to remove. */
    boolean locked() {
        return lock != null;
    }

    /**
     * Tears the app down when it was created, then gives the lock up; the lockfile is unlinked only when nothing is
     * left (the next janitor finds the leftovers by it otherwise). A teardown that throws counts as leaving the app
     * behind, so that the run still tears down its other apps and reports the teardown as not clean.
     *
     * @return what is left of the app
     */
    List<String> tearDown() {
        if (lock == null) {
            return List.of(); // never locked, so nothing was created
        }
        if (created == null && clearBeforeCreate && !creating) {
            // Nothing was there when the lock was taken and nothing was created since: no docker call needed.
            lock.unlink();
            lock.close();
            return List.of();
        }
        try {
            List<String> left;
            try {
                left = driver().teardown(domain);
            } catch (RuntimeException e) {
                left = List.of(domain + " (its teardown failed: "
                        + setup.secrets()
                                .redact(String.valueOf(e.getMessage()))
                                .lines()
                                .findFirst()
                                .orElse(e.toString())
                        + ")");
            }
            if (left.isEmpty()) {
                lock.unlink();
            }
            return left;
        } finally {
            lock.close();
        }
    }

    /** Leaves the app as it is (kept for debugging) and gives the lock up: the next janitor reaps it. */
    void keep() {
        if (lock != null) {
            lock.close();
        }
    }

    private DeployDriver driver() {
        return setup.driver();
    }
}

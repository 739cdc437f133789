package org.coopcloud.recipeci.internal.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.opentest4j.TestAbortedException;

/**
 * The recipes a recipe declares it needs (e.g. an identity provider), deployed before it at their catalogue's
 * default branch, each on a domain of its own under a lock of its own, and torn down after it in reverse order.
 * A dependency that does not come up does not stop the run: the tests that ask for it are skipped, with the reason.
 */
final class Dependencies {
    private final List<Dependency> deps = new ArrayList<>();

    private static final class Dependency {
        final RecipeName recipe;
        final AppDomain domain;
        AppLock lock;
        boolean created;
        LiveApp app;
        RecipeCiException failure;

        Dependency(RecipeName recipe, AppDomain domain) {
            this.recipe = recipe;
            this.domain = domain;
        }
    }

    static Dependencies none() {
        return new Dependencies();
    }

    /** Deploys every declared dependency; failures are recorded, not thrown. */
    static Dependencies deploy(
            RecipeProfile owner,
            AppDomain ownerDomain,
            RunConfig config,
            DeployDriver driver,
            RecipeCatalogue catalogue,
            RunDirectory runDir,
            GeneratedSecrets secrets,
            DeployCounter counter,
            RunLog log) {
        Dependencies result = new Dependencies();
        for (RecipeName recipe : owner.dependencies()) {
            Dependency dep = new Dependency(
                    recipe,
                    AppDomains.forRun(recipe, config.pr(), "dependency-of:" + ownerDomain, config.domainSuffix()));
            result.deps.add(dep);
            try {
                RunConfig depConfig = new RunConfig(
                        recipe,
                        Optional.empty(),
                        Optional.empty(),
                        config.stages(),
                        config.runId(),
                        config.runsDir(),
                        config.home(),
                        config.lockDir(),
                        config.domainSuffix(),
                        config.pr(),
                        config.driver(),
                        config.keepOnFailure(),
                        config.deadline(),
                        // A dependency comes from the catalogue: SRC is the repository of the recipe under test.
                        Optional.empty(),
                        Optional.empty(),
                        config.abraHome(),
                        config.abraServer());
                RecipeSource source = catalogue.checkout(
                        depConfig, runDir.fresh(driver.checkoutPath(recipe).toString()));
                RecipeProfile profile = Profiles.forRecipe(recipe);
                driver.validate(source, dep.domain);
                dep.lock = AppLock.acquire(config.lockDir(), dep.domain, log);
                if (!driver.leftovers(dep.domain).isEmpty()
                        && !driver.teardown(dep.domain).isEmpty()) {
                    throw new RecipeCiException("a dead run's leftovers of " + dep.domain + " cannot be removed");
                }
                counter.recordCreation(dep.domain);
                dep.created = true;
                AppInstance instance = AppPreparation.installSteps(
                        profile,
                        AppPreparation.overlay(
                                profile,
                                driver.create(source, dep.domain, profile.extraEnv(), secrets),
                                source.workTree()));
                LiveApp app =
                        new LiveApp(instance, source, profile, driver, org.coopcloud.recipeci.OperationState::initial);
                long deadline = System.nanoTime() + profile.deployTimeout().toNanos();
                driver.deploy(instance, source, profile.deployTimeout());
                app.awaitReady(log, Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
                dep.app = app;
                log.info(dep.domain + ": dependency " + recipe + " of " + owner.recipe() + " is ready");
            } catch (RecipeCiException e) {
                dep.failure = new RecipeCiException(secrets.redact(e.getMessage()));
                log.warn("dependency " + recipe + " of " + owner.recipe() + " is not ready (tests that need it will be"
                        + " skipped): "
                        + String.valueOf(dep.failure.getMessage())
                                .lines()
                                .findFirst()
                                .orElse(""));
            }
        }
        return result;
    }

    /**
     * The deployed dependency.
     *
     * @throws TestAbortedException when it is not ready (the test is skipped and counted)
     * @throws IllegalArgumentException when the recipe does not declare it
     */
    DeployedApp get(String recipe) {
        for (Dependency dep : deps) {
            if (dep.recipe.value().equals(recipe)) {
                if (dep.app == null) {
                    throw new TestAbortedException("dependency " + recipe + " is not ready: "
                            + String.valueOf(dep.failure.getMessage())
                                    .lines()
                                    .findFirst()
                                    .orElse(""));
                }
                return dep.app;
            }
        }
        throw new IllegalArgumentException("'" + recipe + "' is not a declared dependency (declared: "
                + String.join(", ", deps.stream().map(d -> d.recipe.value()).toList())
                + "): add it to the profile's dependencies()");
    }

    /** Tears the created dependencies down, last first; returns what is left of them. */
    List<String> tearDown(DeployDriver driver, RunLog log) {
        List<String> left = new ArrayList<>();
        for (int i = deps.size() - 1; i >= 0; i--) {
            Dependency dep = deps.get(i);
            try {
                if (dep.created) {
                    log.info(dep.domain + ": tearing down dependency " + dep.recipe);
                    List<String> rest = driver.teardown(dep.domain);
                    left.addAll(rest);
                    if (rest.isEmpty() && dep.lock != null) {
                        dep.lock.unlink();
                    }
                }
            } finally {
                if (dep.lock != null) {
                    dep.lock.close();
                }
            }
        }
        return left;
    }
}

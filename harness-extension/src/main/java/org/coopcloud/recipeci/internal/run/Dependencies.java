package org.coopcloud.recipeci.internal.run;

import java.util.ArrayList;
import java.util.List;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
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
        /** Null when the dependency's profile could not be read: nothing of it was created. */
        AppDeployment deployment;

        LiveApp app;
        String failure;

        Dependency(RecipeName recipe, AppDomain domain) {
            this.recipe = recipe;
            this.domain = domain;
        }
    }

    static Dependencies none() {
        return new Dependencies();
    }

    /** Whether no dependency was declared (or reached). */
    boolean isEmpty() {
        return deps.isEmpty();
    }

    /**
     * Deploys every dependency {@code owner} declares; failures are recorded, not thrown. Each dependency is listed
     * here before anything of it is created, so that {@link #tearDown} finds it also when a harness error ends the
     * deploy half-way.
     */
    void deploy(RecipeProfile owner, AppDomain ownerDomain, RunSetup setup, DeployCounter counter) {
        for (RecipeName recipe : owner.dependencies()) {
            Dependency dep = new Dependency(recipe, AppDomains.forDependency(recipe, ownerDomain, setup.config()));
            deps.add(dep);
            try {
                dep.deployment = new AppDeployment(dep.domain, Profiles.forRecipe(recipe), setup, counter);
                RecipeSource source = setup.catalogue()
                        .checkout(
                                // A dependency comes from the catalogue: SRC is the repository of the recipe under
                                // test.
                                setup.config().code().dependency(recipe),
                                setup.runDir()
                                        .fresh(setup.driver()
                                                .checkoutPath(recipe)
                                                .toString()));
                setup.driver().validate(source, dep.domain);
                dep.deployment.lock();
                dep.app = dep.deployment.install(source);
                setup.log().info(dep.domain + ": dependency " + recipe + " of " + owner.recipe() + " is ready");
            } catch (RecipeCiException e) {
                dep.failure = setup.secrets()
                        .redact(String.valueOf(e.getMessage()))
                        .lines()
                        .findFirst()
                        .orElse("");
                setup.log()
                        .warn("dependency " + recipe + " of " + owner.recipe() + " is not ready (tests that need"
                                + " it will be skipped): " + dep.failure);
            }
        }
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
                    throw new TestAbortedException("dependency " + recipe + " is not ready: " + dep.failure);
                }
                return dep.app;
            }
        }
        throw new IllegalArgumentException("'" + recipe + "' is not a declared dependency (declared: "
                + String.join(", ", deps.stream().map(d -> d.recipe.value()).toList())
                + "): add it to the profile's dependencies()");
    }

    /** Tears the dependencies down, last first; returns what is left of them. */
    List<String> tearDown(RunSetup setup) {
        List<String> left = new ArrayList<>();
        for (int i = deps.size() - 1; i >= 0; i--) {
            Dependency dep = deps.get(i);
            if (dep.deployment == null) {
                continue;
            }
            if (dep.deployment.created()) {
                setup.log().info(dep.domain + ": tearing down dependency " + dep.recipe);
            }
            left.addAll(dep.deployment.tearDown());
        }
        return left;
    }

    /** Keeps the dependencies as they are, for debugging; the next janitor reaps them. */
    void keep() {
        deps.stream().filter(d -> d.deployment != null).forEach(d -> d.deployment.keep());
    }
}

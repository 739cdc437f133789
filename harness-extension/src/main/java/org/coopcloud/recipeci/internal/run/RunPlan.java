package org.coopcloud.recipeci.internal.run;

import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.recipe.lint.LintReport;
import org.coopcloud.recipeci.internal.recipe.lint.RecipeLinter;

/**
 * What a run deploys, decided once the code under test is checked out: the recipe's profile, the code under test,
 * the release deployed first when UPGRADE runs (so the upgrade is real), the app's domain and what abra's lint rules
 * say of the code under test.
 */
record RunPlan(
        RecipeProfile profile,
        RecipeSource underTest,
        Optional<RecipeSource> upgradeFrom,
        AppDomain domain,
        LintReport lint) {

    /** Checks the code under test out into the run directory and decides the rest; nothing is created on the swarm. */
    static RunPlan make(RunSetup setup, RecipeProfile profile) {
        RunConfig config = setup.config();
        RecipeSource underTest = setup.catalogue()
                .checkout(
                        config.code(),
                        setup.runDir()
                                .fresh(setup.driver()
                                        .checkoutPath(config.recipe())
                                        .toString()));
        AppDomain domain = AppDomains.forRun(config);
        setup.driver().validate(underTest, domain);
        LintReport lint = RecipeLinter.lint(underTest.workTree(), setup.runner());
        setup.log().info(domain + ": lint (abra's rules): " + lint.summary());
        Optional<RecipeSource> upgradeFrom = Optional.empty();
        if (config.stages().contains(Stage.UPGRADE) && !profile.notApplicable().containsKey(Stage.UPGRADE)) {
            upgradeFrom = setup.catalogue()
                    .upgradeBase(underTest, profile.upgradeBase())
                    .map(v -> setup.catalogue().release(underTest, v));
        }
        return new RunPlan(profile, underTest, upgradeFrom, domain, lint);
    }

    /** What is deployed first: the release to upgrade from, else the code under test. */
    RecipeSource first() {
        return upgradeFrom.orElse(underTest);
    }
}

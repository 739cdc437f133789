package org.coopcloud.recipeci.internal.run;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.SourceRepository;
import org.coopcloud.recipeci.internal.deploy.RecipeEnv;
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

    /**
     * Checks the code under test out into the run directory and decides the rest; nothing is created on the swarm.
     *
     * @param log where its lines go (the lint summary): the run log, or a plan made ahead's own buffer
     */
    static RunPlan make(RunSetup setup, RecipeProfile profile, Consumer<String> log) {
        RunConfig config = setup.config();
        RecipeSource underTest = setup.catalogue()
                .checkout(
                        config.code(),
                        setup.runDir()
                                .fresh(setup.driver()
                                        .checkoutPath(config.recipe())
                                        .toString()));
        AppDomain domain = AppDomains.forRun(config);
        Set<String> knownKeys = new TreeSet<>(RecipeEnv.knownKeys(underTest));
        requireKnown(profile, "upgradeExtraEnv", profile.upgradeExtraEnv(), knownKeys, underTest);
        setup.driver().validate(underTest, domain, AppPreparation.validationEnv(profile, underTest, domain));
        LintReport lint = RecipeLinter.lint(underTest.workTree(), setup.runner());
        log.accept(domain + ": lint (abra's rules): " + lint.summary());
        otherType(config, RecipeEnv.sample(underTest).get("TYPE")).ifPresent(line -> log.accept(domain + ": " + line));
        Optional<RecipeSource> upgradeFrom = Optional.empty();
        if (config.stages().contains(Stage.UPGRADE) && !profile.notApplicable().containsKey(Stage.UPGRADE)) {
            upgradeFrom = setup.catalogue()
                    .upgradeBase(underTest, profile.upgradeBase())
                    .map(v -> setup.catalogue().release(underTest, v));
        }
        if (upgradeFrom.isPresent()) {
            // The first deploy is of the release: its compose files, with the profile's overlay, must take too.
            RecipeSource first = upgradeFrom.get();
            setup.catalogue().switchTo(first);
            knownKeys.addAll(RecipeEnv.knownKeys(first));
            setup.driver().validate(first, domain, AppPreparation.validationEnv(profile, first, domain));
        }
        requireKnown(profile, "extraEnv", profile.extraEnv(), knownKeys, upgradeFrom.orElse(underTest));
        return new RunPlan(profile, underTest, upgradeFrom, domain, lint);
    }

    /**
     * The code under test is another recipe's, by its {@code .env.sample}'s {@code TYPE}: a {@code recipeci.src} or
     * a catalogue clone of the wrong repository, which would deploy that recipe under this one's name.
     */
    static Optional<String> otherType(RunConfig config, Optional<String> type) {
        // abra writes TYPE=<recipe>:<version> into an app's env; a sample may carry a version too.
        return type.map(t -> t.split(":", 2)[0].strip())
                .filter(t -> !t.isBlank() && !t.equals(config.recipe().value()))
                .map(t -> "the code under test's .env.sample says TYPE=" + t + ", not " + config.recipe() + " — is "
                        + config.code()
                                .src()
                                .map(src -> "recipeci.src " + SourceRepository.masked(src.toString()))
                                .orElse("the catalogue's clone")
                        + " the repository of " + config.recipe() + "?");
    }

    /**
     * A profile's env key the recipe does not know is a typo, or a setting of another release: it would be written
     * into the app's env and change nothing.
     */
    private static void requireKnown(
            RecipeProfile profile, String setting, Map<String, String> env, Set<String> known, RecipeSource source) {
        for (String key : env.keySet()) {
            if (!known.contains(key)) {
                String closest = known.stream()
                        .min(Comparator.comparingInt(k -> ConfigKey.distance(k, key)))
                        .orElse("");
                throw new RecipeConfigurationException("profile "
                        + profile.getClass().getName() + " of recipe '"
                        + profile.recipe() + "': " + setting + " sets " + key + ", which recipe '" + source.recipe()
                        + "' at " + source.ref() + " does not know (its .env.sample does not set it, its compose files"
                        + " do not use it) — a typo? (closest: " + closest + ")");
            }
        }
    }

    /** What is deployed first: the release to upgrade from, else the code under test. */
    RecipeSource first() {
        return upgradeFrom.orElse(underTest);
    }
}

package org.coopcloud.recipeci.internal.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;

/** Finds the {@link RecipeProfile} of a recipe among the registered services, and checks its values. */
final class Profiles {
    private Profiles() {}

    static RecipeProfile forRecipe(RecipeName recipe) {
        List<RecipeProfile> matches = ServiceLoader.load(RecipeProfile.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> recipe.value().equals(p.recipe()))
                .toList();
        if (matches.size() > 1) {
            throw new RecipeConfigurationException("recipe '" + recipe + "' has " + matches.size() + " profiles ("
                    + String.join(
                            ", ",
                            matches.stream().map(p -> p.getClass().getName()).toList())
                    + "): keep one");
        }
        RecipeProfile profile = matches.isEmpty() ? RecipeProfile.defaults(recipe) : matches.get(0);
        return check(profile);
    }

    static RecipeProfile check(RecipeProfile profile) {
        String where = "profile " + profile.getClass().getName() + " of recipe '" + profile.recipe() + "'";
        if (profile.healthPath() == null || !profile.healthPath().startsWith("/")) {
            throw new RecipeConfigurationException(
                    where + ": healthPath '" + profile.healthPath() + "' must start with '/' (e.g. \"/health\")");
        }
        requirePositive(where, "deployTimeout", profile.deployTimeout());
        requirePositive(where, "httpTimeout", profile.httpTimeout());
        if (profile.readyProbe() == null) {
            throw new RecipeConfigurationException(
                    where + ": readyProbe must not be null (e.g. ReadyProbe.http(\"/\", 1))");
        }
        checkEnv(where, "extraEnv", profile.extraEnv());
        checkEnv(where, "upgradeExtraEnv", profile.upgradeExtraEnv());
        profile.markerPath().filter(p -> !p.startsWith("/")).ifPresent(p -> {
            throw new RecipeConfigurationException(where + ": markerPath '" + p + "' must start with '/'");
        });
        if (profile.notApplicable().containsKey(Stage.INSTALL)) {
            throw new RecipeConfigurationException(where + ": INSTALL cannot be not applicable — every recipe installs;"
                    + " remove it from notApplicable()");
        }
        profile.notApplicable().forEach((stage, reason) -> {
            if (reason == null || reason.isBlank()) {
                throw new RecipeConfigurationException(where + ": notApplicable " + stage + " needs a reason");
            }
        });
        if (profile.dependencies().stream().anyMatch(d -> d.value().equals(profile.recipe()))) {
            throw new RecipeConfigurationException(where + ": a recipe cannot depend on itself");
        }
        profile.composeOverlay().ifPresent(resource -> {
            if (Thread.currentThread().getContextClassLoader().getResource(resource) == null
                    && Profiles.class.getClassLoader().getResource(resource) == null) {
                throw new RecipeConfigurationException(where + ": composeOverlay '" + resource + "' is not on the"
                        + " classpath (put it under src/test/resources)");
            }
        });
        return profile;
    }

    private static void checkEnv(String where, String name, Map<String, String> env) {
        env.forEach((key, value) -> {
            if (key == null || !key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new RecipeConfigurationException(where + ": " + name + " key '" + key + "' is not an env"
                        + " variable name (letters, digits, '_')");
            }
            if (value == null || value.contains("\n")) {
                throw new RecipeConfigurationException(where + ": " + name + " value of " + key + " must be one line");
            }
        });
    }

    private static void requirePositive(String where, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new RecipeConfigurationException(where + ": " + name + " must be a positive duration, not " + value);
        }
    }
}

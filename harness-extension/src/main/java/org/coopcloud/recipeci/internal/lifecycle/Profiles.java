package org.coopcloud.recipeci.internal.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;

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
        return profile;
    }

    private static void requirePositive(String where, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new RecipeConfigurationException(where + ": " + name + " must be a positive duration, not " + value);
        }
    }
}

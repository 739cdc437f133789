package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/**
 * R012 (error): a recipe with swarm {@code configs:} has an {@code abra.sh}, where the config versions are vendored
 * ({@code export PG_CONF_VERSION=v2}). Like abra, only that the file exists is checked.
 */
final class R012ConfigVersionsVendored extends AbraRule {
    R012ConfigVersionsVendored() {
        super(
                "R012",
                Severity.ERROR,
                "config version are vendored",
                "add an abra.sh exporting each config's version (export <NAME>_VERSION=v1) and use it in the config's"
                        + " name");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        if (recipe.compose().configs().isEmpty() || recipe.has("abra.sh")) {
            return List.of();
        }
        return List.of("configs " + String.join(", ", recipe.compose().configs()) + " are declared but there is no"
                + " abra.sh");
    }
}

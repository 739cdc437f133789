package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/** R008 (error): the recipe has a {@code .env.sample}. */
final class R008EnvSamplePresent extends AbraRule {
    R008EnvSamplePresent() {
        super(
                "R008",
                Severity.ERROR,
                ".env.sample provided",
                "add a .env.sample with TYPE, DOMAIN and the app's settings (abra app new copies it)");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return recipe.sampleEnv().isPresent() ? List.of() : List.of("there is no .env.sample");
    }
}

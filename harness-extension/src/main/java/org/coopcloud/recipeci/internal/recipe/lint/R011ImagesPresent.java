package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/** R011 (error): every service has an {@code image}. */
final class R011ImagesPresent extends AbraRule {
    R011ImagesPresent() {
        super(
                "R011",
                Severity.ERROR,
                "all services have images",
                "give each service named an image: (a swarm cannot build one from a build: section)");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return services(recipe, s -> s.image().isEmpty(), s -> " has no image");
    }
}

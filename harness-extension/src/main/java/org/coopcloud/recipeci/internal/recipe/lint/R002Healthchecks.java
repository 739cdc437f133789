package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/** R002 (warn): every service of the merged compose files has a {@code healthcheck}. */
final class R002Healthchecks extends AbraRule {
    R002Healthchecks() {
        super(
                "R002",
                Severity.WARN,
                "healthcheck enabled for all services",
                "add a healthcheck: (test, interval, timeout, retries) to each service named");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return services(recipe, s -> !s.has("healthcheck"), s -> " has no healthcheck");
    }
}

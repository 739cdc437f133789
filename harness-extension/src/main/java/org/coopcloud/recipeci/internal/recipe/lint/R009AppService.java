package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/** R009 (error): one service is named {@code app}. */
final class R009AppService extends AbraRule {
    R009AppService() {
        super("R009", Severity.ERROR, "one service named 'app'", "name the recipe's main service 'app'");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        if (recipe.compose().service("app").isPresent()) {
            return List.of();
        }
        return List.of("no service is named 'app' (services: "
                + String.join(
                        ", ",
                        recipe.compose().services().stream()
                                .map(ComposeModel.Service::name)
                                .toList())
                + ")");
    }
}

package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/** R001 (warn): every compose file declares {@code version: "3.8"}. */
final class R001ComposeVersion extends AbraRule {
    R001ComposeVersion() {
        super(
                "R001",
                Severity.WARN,
                "compose config has expected version",
                "ensure 'version: \"3.8\"' in compose configs");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return recipe.compose().versions().entrySet().stream()
                .filter(e -> !e.getValue().map("3.8"::equals).orElse(false))
                .map(e -> e.getKey()
                        + e.getValue().map(v -> " declares version " + v).orElse(" declares no version"))
                .toList();
    }
}

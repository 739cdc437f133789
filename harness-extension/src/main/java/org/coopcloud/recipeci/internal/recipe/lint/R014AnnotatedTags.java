package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;
import java.util.Optional;

/**
 * R014 (error): every git tag of the recipe is annotated (abra's {@code recipe release} makes annotated tags; a
 * lightweight one makes a pinned {@code abra app deploy} stop).
 */
final class R014AnnotatedTags extends AbraRule {
    R014AnnotatedTags() {
        super(
                "R014",
                Severity.ERROR,
                "only annotated tags used for recipe version",
                "re-create each tag named as an annotated tag: git tag -f -a TAG -m \"chore: publish TAG release\""
                        + " TAG^{} && git push -f origin TAG");
    }

    @Override
    Optional<String> skipReason(LintedRecipe recipe) {
        return recipe.tags().get().isPresent()
                ? Optional.empty()
                : Optional.of("the recipe is not a git checkout, so it has no tags to check");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return recipe.tags().get().orElse(List.of()).stream()
                .filter(t -> !t.annotated())
                .map(t -> "tag " + t.name() + " is lightweight")
                .toList();
    }
}

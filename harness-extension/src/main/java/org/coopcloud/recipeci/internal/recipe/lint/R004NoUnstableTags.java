package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/** R004 (warn): no image is untagged or tagged {@code latest}. */
final class R004NoUnstableTags extends AbraRule {
    R004NoUnstableTags() {
        super(
                "R004",
                Severity.WARN,
                "no unstable tags",
                "replace 'latest' (or no tag) with a release tag of the image, e.g. image: nginx:1.25.3");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return services(
                recipe,
                s -> s.imageRef()
                        .map(i -> i.nameOnly() || i.tag().map("latest"::equals).orElse(false))
                        .orElse(false),
                s -> ": image '" + s.image().orElseThrow() + "' is not pinned to a release");
    }
}

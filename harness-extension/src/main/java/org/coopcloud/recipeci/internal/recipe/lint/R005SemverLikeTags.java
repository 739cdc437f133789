package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/** R005 (warn): every image tag is semver-like as Co-op Cloud's tagcmp parses it ({@link ImageRef#semverLike}). */
final class R005SemverLikeTags extends AbraRule {
    R005SemverLikeTags() {
        super(
                "R005",
                Severity.WARN,
                "tags use semver-like format",
                "use image tags like 1.2.3, v2.3 or 6.2.1-alpine (not a branch, date or commit hash)");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return services(
                recipe,
                s -> s.imageRef()
                        .map(i -> i.digest().isEmpty()
                                && !i.tag().map(ImageRef::semverLike).orElse(false))
                        .orElse(false),
                s -> ": image '" + s.image().orElseThrow() + "' has no semver-like tag");
    }
}

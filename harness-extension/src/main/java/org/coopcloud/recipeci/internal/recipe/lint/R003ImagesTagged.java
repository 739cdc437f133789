package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/** R003 (warn): every image names a tag (or a digest), not only a name. */
final class R003ImagesTagged extends AbraRule {
    R003ImagesTagged() {
        super("R003", Severity.WARN, "all images use a tag", "pin each image named to a tag, e.g. image: nginx:1.25.3");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return services(
                recipe,
                s -> s.imageRef().map(ImageRef::nameOnly).orElse(false),
                s -> ": image '" + s.image().orElseThrow() + "' has no tag");
    }
}

package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;
import java.util.Map;

/**
 * R007 (warn): the catalogue metadata in {@code README.md} is filled in — Category, and the features Backups, Email,
 * Healthcheck, Image and SSO.
 */
final class R007MetadataFilledIn extends AbraRule {
    static final List<String> KEYS = List.of("Category", "Backups", "Email", "Healthcheck", "Image", "SSO");

    R007MetadataFilledIn() {
        super(
                "R007",
                Severity.WARN,
                "README.md metadata filled in",
                "fill in Category, Backups, Email, Healthcheck, Image and SSO between <!-- metadata --> and"
                        + " <!-- endmetadata --> in README.md");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        if (recipe.readme().isEmpty()) {
            return List.of("there is no README.md");
        }
        Map<String, String> metadata = ReadmeMetadata.parse(recipe.readme().get());
        if (metadata.isEmpty()) {
            return List.of("README.md has no <!-- metadata --> block");
        }
        List<String> empty = KEYS.stream()
                .filter(k -> metadata.getOrDefault(k, "").isEmpty())
                .toList();
        return empty.isEmpty() ? List.of() : List.of("README.md metadata has no value for " + String.join(", ", empty));
    }
}

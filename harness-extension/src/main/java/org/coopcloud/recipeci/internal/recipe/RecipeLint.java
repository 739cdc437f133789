package org.coopcloud.recipeci.internal.recipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lint rung: the recipe's compose validates (checked before deploy) and its structure is sound — the
 * {@code .env.sample} names {@code TYPE} and {@code DOMAIN}, the compose file carries the Co-op Cloud version
 * label, a release has release notes, and there is an {@code abra.sh}.
 */
public final class RecipeLint {
    private RecipeLint() {}

    /** The problems found; empty when the recipe is sound. */
    public static List<String> check(RecipeSource source) {
        Path tree = source.workTree();
        List<String> problems = new ArrayList<>();
        String sample = read(tree.resolve(".env.sample"));
        if (!sample.matches("(?s).*(^|\\n)\\s*TYPE=.*") || !sample.matches("(?s).*(^|\\n)\\s*#?\\s*DOMAIN=.*")) {
            problems.add(".env.sample should set TYPE and DOMAIN");
        }
        if (!read(tree.resolve("compose.yml")).contains("coop-cloud.${STACK_NAME}.version")) {
            problems.add("compose.yml has no coop-cloud.${STACK_NAME}.version label");
        }
        source.exactVersion().ifPresent(v -> {
            if (!Files.isRegularFile(tree.resolve("release").resolve(v.value()))) {
                problems.add("release " + v + " has no release notes (release/" + v + ")");
            }
        });
        if (!Files.isRegularFile(tree.resolve("abra.sh"))) {
            problems.add("there is no abra.sh");
        }
        return problems;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}

package org.coopcloud.recipeci.internal.recipe.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the lint rules read of a recipe checkout: its {@code .env.sample} (if any), its compose files merged, its
 * {@code README.md} and {@code abra.sh}, and its git tags (read only when a rule asks).
 *
 * @param sampleEnv the {@code .env.sample} keys and values; empty when the file is missing
 * @param tags the git tags; empty when the checkout is not a git repository
 */
record LintedRecipe(
        Path dir,
        Optional<Map<String, String>> sampleEnv,
        ComposeModel compose,
        Optional<String> readme,
        Supplier<Optional<List<RecipeTags.Tag>>> tags) {

    /**
     * Reads the recipe at {@code dir}.
     *
     * @throws UnreadableRecipeException when its compose files cannot be read
     */
    static LintedRecipe read(Path dir, Supplier<Optional<List<RecipeTags.Tag>>> tags) {
        Optional<Map<String, String>> sample = text(dir.resolve(".env.sample")).map(SampleEnv::parse);
        ComposeModel compose = ComposeModel.read(dir, sample.orElse(Map.of()));
        return new LintedRecipe(dir, sample, compose, text(dir.resolve("README.md")), tags);
    }

    boolean has(String file) {
        return Files.isRegularFile(dir.resolve(file));
    }

    private static Optional<String> text(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            throw new UnreadableRecipeException("cannot read " + file.getFileName() + ": " + e.getMessage());
        }
    }
}

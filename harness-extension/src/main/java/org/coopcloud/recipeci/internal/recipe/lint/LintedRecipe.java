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
        Optional<Map<String, String>> sample = text(dir, ".env.sample").map(SampleEnv::parse);
        ComposeModel compose = ComposeModel.read(dir, sample.orElse(Map.of()));
        return new LintedRecipe(dir, sample, compose, text(dir, "README.md"), tags);
    }

    boolean has(String file) {
        return ownFile(dir, file).isPresent();
    }

    /**
     * {@code dir/name} when it is a regular file of the recipe's own; empty when there is none.
     *
     * @throws UnreadableRecipeException when it is a symbolic link out of the recipe: a pull request controls the
     *     checkout, and a link to this host's files (or to {@code /proc/kmsg}, which blocks a reader) is not the
     *     recipe's
     */
    static Optional<Path> ownFile(Path dir, String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            if (!file.toRealPath().startsWith(dir.toRealPath())) {
                throw new UnreadableRecipeException(name + " is a symbolic link out of the recipe (to "
                        + Files.readSymbolicLink(file) + "): recipe-ci reads only the recipe's own files — commit"
                        + " the file itself");
            }
        } catch (IOException e) {
            throw new UnreadableRecipeException("cannot read " + name + ": " + e.getMessage());
        }
        return Optional.of(file);
    }

    private static Optional<String> text(Path dir, String name) {
        Optional<Path> file = ownFile(dir, name);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file.get()));
        } catch (IOException e) {
            throw new UnreadableRecipeException("cannot read " + name + ": " + e.getMessage());
        }
    }
}

package org.coopcloud.recipeci.internal.recipe.lint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/** The git tags of a recipe checkout, and whether each is annotated (a tag object) or lightweight. */
final class RecipeTags {
    record Tag(String name, boolean annotated) {}

    private RecipeTags() {}

    /**
     * The tags of the repository at {@code tree}; empty when {@code tree} is not the top of a git checkout (a plain
     * directory inside some other repository must not be judged by that repository's tags).
     */
    static Optional<List<Tag>> read(CommandRunner runner, Path tree) {
        if (!Files.exists(tree.resolve(".git"))) {
            return Optional.empty();
        }
        CommandResult listed = runner.run(Command.of(
                        "git",
                        "-C",
                        tree.toString(),
                        "for-each-ref",
                        "--format=%(objecttype) %(refname:strip=2)",
                        "refs/tags")
                .withTimeout(Duration.ofMinutes(1)));
        if (!listed.ok()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(listed.stdout().split("\n"))
                .map(String::strip)
                .filter(line -> line.contains(" "))
                .map(line -> new Tag(line.substring(line.indexOf(' ') + 1), line.startsWith("tag ")))
                .toList());
    }
}

package org.coopcloud.recipeci.internal.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/**
 * The real Co-op Cloud recipes kept next to the project as git bundles ({@code shared/real-recipes}, test data that
 * is not part of the repository). Found by the system property {@code recipeci.it.real-recipes}, the variable
 * {@code RECIPECI_IT_REAL_RECIPES}, or as {@code shared/real-recipes} beside the repository or one of its parents
 * ({@code ../shared/real-recipes} from a checkout in {@code /work/main}, {@code ../../shared/real-recipes} from a
 * worktree). Tests that use them skip, saying why, when they are absent.
 */
public final class RealRecipes {
    public static final String PROPERTY = "recipeci.it.real-recipes";

    private RealRecipes() {}

    /** The directory of bundles, if there is one. */
    public static Optional<Path> dir() {
        Optional<Path> named = Optional.ofNullable(System.getProperty(PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv("RECIPECI_IT_REAL_RECIPES")))
                .filter(s -> !s.isBlank())
                .map(Path::of);
        if (named.isPresent()) {
            return named.filter(Files::isDirectory);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("real-recipes");
            if (Files.isRegularFile(candidate.resolve("bonfire.bundle"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The recipe from its bundle as an entry of the catalogue in {@code home}, checked out at its latest release in
     * {@code home/run/recipes/<recipe>}; skips the calling test when the bundles are absent.
     */
    public static RecipeSource latestRelease(String recipe, Path home) throws Exception {
        Version latest = inCatalogue(recipe, home);
        return new RecipeCatalogue(home, new CommandRunner())
                .checkout(
                        new CodeUnderTest(
                                new RecipeName(recipe),
                                Optional.of(latest),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                "0"),
                        home.resolve("run/recipes").resolve(recipe));
    }

    /**
     * The recipe from its bundle as an entry of the catalogue in {@code home} ({@code home/recipes/<recipe>}, as
     * {@code recipeci.home} names it), unmodified; skips the calling test when the bundles are absent.
     *
     * @return its latest release, as the catalogue orders releases
     */
    public static Version inCatalogue(String recipe, Path home) throws Exception {
        cloneInto(recipe, home.resolve("recipes").resolve(recipe));
        List<Version> released = new RecipeCatalogue(home, new CommandRunner()).versions(new RecipeName(recipe));
        return released.get(released.size() - 1);
    }

    /**
     * Clones {@code <recipe>.bundle} into {@code dest} (all branches and tags), or skips the calling test when the
     * bundles are absent.
     */
    public static Path cloneInto(String recipe, Path dest) throws Exception {
        Optional<Path> dir = dir();
        assumeTrue(
                dir.isPresent() && Files.isRegularFile(dir.get().resolve(recipe + ".bundle")),
                () -> "the real recipe bundles are absent (no " + recipe + ".bundle in shared/real-recipes beside the"
                        + " repository or its parents, nor in -D" + PROPERTY + "): test data kept outside the"
                        + " project, see docs/operations.md#real-recipes");
        Files.createDirectories(dest.getParent());
        Git.run(
                dest.getParent(),
                "clone",
                "--quiet",
                dir.get().resolve(recipe + ".bundle").toString(),
                dest.getFileName().toString());
        return dest;
    }
}

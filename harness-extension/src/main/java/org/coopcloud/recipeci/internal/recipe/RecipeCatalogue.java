package org.coopcloud.recipeci.internal.recipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * The local recipe catalogue: one git repository per recipe under {@code <home>/recipes/<name>}, as abra keeps
 * them, whose tags are the released versions. Runs never touch it: they clone it into their own directory. When
 * the configuration names a source repository ({@code recipeci.src}), the code under test comes from there instead
 * (see {@link RemoteSource}).
 */
public final class RecipeCatalogue {
    private final Path recipesDir;
    private final Git git;
    private final RemoteSource remote;

    /** A catalogue whose runs fetch no private source repository. */
    public RecipeCatalogue(Path home, CommandRunner runner) {
        this(home, runner, GitCredentials.none());
    }

    /** @param credentials for {@code recipeci.src}; used for nothing else */
    public RecipeCatalogue(Path home, CommandRunner runner, GitCredentials credentials) {
        this.recipesDir = home.resolve("recipes");
        this.git = new Git(runner, credentials);
        this.remote = new RemoteSource(this, git);
    }

    public Path recipesDir() {
        return recipesDir;
    }

    /** Whether the catalogue has a repository for {@code recipe}. */
    public boolean holds(RecipeName recipe) {
        Path repo = recipesDir.resolve(recipe.value());
        return Files.isDirectory(repo.resolve(".git")) || Files.isRegularFile(repo.resolve("HEAD"));
    }

    /** The recipe's canonical repository. */
    public Path repository(RecipeName recipe) {
        Path repo = recipesDir.resolve(recipe.value());
        if (!holds(recipe)) {
            List<String> known = known();
            throw new RecipeConfigurationException("recipe '" + recipe + "' is not in the catalogue " + recipesDir
                    + (known.isEmpty()
                            ? " (it is empty)"
                            : " (known: " + String.join(", ", known) + "; did you mean '"
                                    + closest(recipe.value(), known) + "'?)")
                    + ": check the name, or run `scripts/local-swarm up` to materialise the demo recipes, or"
                    + " clone the recipe's repository to " + repo);
        }
        return repo;
    }

    private static String closest(String name, List<String> known) {
        return known.stream()
                .min(Comparator.comparingInt(k -> ConfigKey.distance(k, name)))
                .orElseThrow();
    }

    /** The recipes the catalogue holds, sorted. */
    public List<String> known() {
        if (!Files.isDirectory(recipesDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(recipesDir)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The released versions (tags of the shape of a version), oldest first. */
    public List<Version> versions(RecipeName recipe) {
        return versionsIn(repository(recipe));
    }

    /** The version tags of any repository, oldest first. */
    List<Version> versionsIn(Path repo) {
        return versionsOf(Arrays.stream(
                git.local(repo, "tag", "--list").orThrow().stdout().split("\n")));
    }

    /**
     * The names that are versions, oldest first: the tags abra's catalogue takes as releases ({@code 1.2.3+4.5},
     * {@code v2.4.8}, {@code 1.0.0+1.0.5-social-amd64}), in {@link Version}'s order.
     */
    static List<Version> versionsOf(Stream<String> names) {
        return names.map(String::trim)
                .filter(Version::isVersion)
                .map(Version::new)
                .sorted()
                .toList();
    }

    /**
     * Checks that what the configuration asks for exists, before anything is deployed.
     *
     * @return the full id of the commit the run will test (a pull request's status goes on it), when it can be named
     *     before the checkout — always for the catalogue; for {@code recipeci.src} unless REF is an abbreviated
     *     commit id
     * @throws RecipeConfigurationException naming the available versions when it does not
     */
    public Optional<String> validate(CodeUnderTest code) {
        if (code.src().isPresent()) {
            return remote.validate(code, code.src().get());
        }
        Path repo = repository(code.recipe());
        code.version().ifPresent(version -> {
            List<Version> versions = versions(code.recipe());
            if (!versions.contains(version)) {
                throw new RecipeConfigurationException("recipe '" + code.recipe() + "' has no version '" + version
                        + "' (released: "
                        + String.join(
                                ", ", versions.stream().map(Version::value).toList())
                        + "): pick one of these, or test unreleased code with -Drecipeci.ref=BRANCH");
            }
        });
        code.ref().ifPresent(ref -> {
            if (!git(repo, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
                    .ok()) {
                throw new RecipeConfigurationException("recipe '" + code.recipe() + "' has no git ref '" + ref
                        + "' in " + repo + ": use an existing branch, tag or commit (`git -C " + repo
                        + " branch -a` lists branches)");
            }
        });
        return Optional.of(commitInCatalogue(code));
    }

    /**
     * Clones the recipe into {@code dest} and checks out the code under test: the requested version's tag, the
     * requested ref, or the repository's default branch. With {@code recipeci.src}, the clone is of that
     * repository.
     */
    public RecipeSource checkout(CodeUnderTest code, Path dest) {
        if (code.src().isPresent()) {
            return remote.checkout(code, code.src().get(), dest);
        }
        validate(code);
        Path repo = repository(code.recipe());
        createParent(dest);
        git(dest.getParent(), "clone", "--quiet", repo.toAbsolutePath().toString(), dest.toString())
                .orThrow();
        git(dest, "checkout", "--quiet", "--detach", commitInCatalogue(code)).orThrow();
        String target = target(code);
        return underTest(code, dest, target, versions(code.recipe()));
    }

    static void createParent(Path dest) {
        try {
            Files.createDirectories(dest.getParent());
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot create " + dest.getParent() + ": " + e.getMessage(), e);
        }
    }

    /** What is checked out in {@code dest}, described: its commit, and the release it is or builds on. */
    RecipeSource underTest(CodeUnderTest code, Path dest, String target, List<Version> released) {
        String commit = git(dest, "rev-parse", "HEAD").orThrow().stdout().strip();
        Optional<Version> exact = tagAt(dest, "HEAD");
        // Only tags shaped like a release: describe would otherwise prefer any nearer annotated tag.
        Optional<Version> nearest = exact.or(() -> Optional.of(git(
                        dest,
                        "describe",
                        "--tags",
                        "--abbrev=0",
                        "--match",
                        "[0-9]*.[0-9]*.[0-9]*",
                        "--match",
                        "v[0-9]*.[0-9]*.[0-9]*"))
                .filter(CommandResult::ok)
                .map(r -> r.stdout().strip())
                .filter(Version::isVersion)
                .map(Version::new));
        return new RecipeSource(code.recipe(), dest, target, code.version(), commit, exact, nearest, released);
    }

    /** The full id of the commit the catalogue's repository names for what {@code code} asks to test. */
    String commitInCatalogue(CodeUnderTest code) {
        // Resolve in the catalogue repo: a clone only has its default branch locally (others are origin/*).
        return git(repository(code.recipe()), "rev-parse", "--verify", target(code) + "^{commit}")
                .orThrow()
                .stdout()
                .strip();
    }

    private static String target(CodeUnderTest code) {
        return code.version().map(Version::value).or(code::ref).orElse("HEAD");
    }

    private Optional<Version> tagAt(Path repo, String rev) {
        String tags = git(repo, "tag", "--points-at", rev).orThrow().stdout();
        return Arrays.stream(tags.split("\n"))
                .map(String::trim)
                .filter(Version::isVersion)
                .map(Version::new)
                .max(Comparator.naturalOrder());
    }

    /**
     * The release the UPGRADE tier starts from: {@code base} when the profile names one, else the newest release
     * older than the code under test when that is a release itself, else the release it builds on.
     *
     * @return empty when there is no earlier release (the recipe has only one)
     */
    public Optional<Version> upgradeBase(RecipeSource underTest, Optional<Version> base) {
        if (base.isPresent()) {
            if (!underTest.released().contains(base.get())) {
                throw new RecipeConfigurationException(
                        "the profile of recipe '" + underTest.recipe() + "' names upgrade"
                                + " base " + base.get() + ", which is not a release (released: "
                                + String.join(
                                        ", ",
                                        underTest.released().stream()
                                                .map(Version::value)
                                                .toList()) + ")");
            }
            return base;
        }
        if (underTest.exactVersion().isPresent()) {
            Version current = underTest.exactVersion().get();
            return underTest.released().stream()
                    .filter(v -> v.compareTo(current) < 0)
                    .max(Comparator.naturalOrder());
        }
        return underTest.baseVersion();
    }

    /** The release {@code version} in the same work tree as {@code underTest} (not checked out yet). */
    public RecipeSource release(RecipeSource underTest, Version version) {
        String commit = git(underTest.workTree(), "rev-parse", "--verify", version.value() + "^{commit}")
                .orThrow()
                .stdout()
                .strip();
        return new RecipeSource(
                underTest.recipe(),
                underTest.workTree(),
                version.value(),
                Optional.of(version),
                commit,
                Optional.of(version),
                Optional.of(version),
                underTest.released());
    }

    /** Checks out {@code source}'s commit in its work tree (the run's own clone). */
    public void switchTo(RecipeSource source) {
        git(source.workTree(), "checkout", "--quiet", "--detach", source.commit())
                .orThrow();
    }

    private CommandResult git(Path dir, String... args) {
        return git.local(dir, args);
    }
}

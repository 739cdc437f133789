package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code under test from {@code recipeci.src}, with real git and repositories on disk: every kind of ref, the
 * releases from the source or (when it has none) from the catalogue, and the errors. The authenticated HTTP path is
 * covered by {@link SourceAuthIT} here and end to end by recipe-tests' {@code PullRequestSourceIT}.
 */
class RemoteSourceIT {
    private static final RecipeName RECIPE = new RecipeName("demo");

    @TempDir
    Path tmp;

    private final List<CommandResult> journal = new CopyOnWriteArrayList<>();
    private final CommandRunner runner = new CommandRunner(java.time.Duration.ofSeconds(2), journal::add);
    private Path home;
    private Path withTags;
    private Path branchesOnly;
    private String release10;
    private String release11;
    private String feature;
    private String pull7;
    private int runs;

    /**
     * The catalogue has releases 1.0.0+1 and 1.1.0+1 (main). Two copies of it serve as sources: one with the tags,
     * one with branches only; both have a branch {@code feature} and a {@code refs/pull/7/head}, each one commit on
     * top of main.
     */
    @BeforeEach
    void catalogueAndSources() {
        home = tmp.resolve("home");
        Path repo = home.resolve("recipes").resolve(RECIPE.value());
        git(tmp, "init", "-q", "-b", "main", repo.toString());
        release10 = commit(repo, "compose.yml", "version: 1.0\n");
        git(repo, "tag", "1.0.0+1");
        release11 = commit(repo, "compose.yml", "version: 1.1\n");
        git(repo, "tag", "1.1.0+1");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "tag", "-a", "-m", "annotated", "annotated");

        withTags = tmp.resolve("with-tags.git");
        branchesOnly = tmp.resolve("branches-only.git");
        git(tmp, "clone", "-q", "--bare", repo.toString(), withTags.toString());
        git(tmp, "clone", "-q", "--bare", "--no-tags", repo.toString(), branchesOnly.toString());
        Path work = tmp.resolve("work");
        git(tmp, "clone", "-q", repo.toString(), work.toString());
        feature = commit(work, "feature.txt", "a feature\n");
        git(work, "reset", "-q", "--hard", release11);
        pull7 = commit(work, "pull.txt", "pull request 7\n");
        for (Path source : List.of(withTags, branchesOnly)) {
            git(work, "push", "-q", source.toString(), feature + ":refs/heads/feature", pull7 + ":refs/pull/7/head");
        }
    }

    private RecipeCatalogue catalogue() {
        return new RecipeCatalogue(home, runner);
    }

    private CodeUnderTest config(Path src, String... keyValues) {
        return config(src.toString(), keyValues);
    }

    private CodeUnderTest config(String src, String... keyValues) {
        Map<String, String> params = new java.util.HashMap<>(
                Map.of("recipeci.recipe", RECIPE.value(), "recipeci.home", home.toString(), "recipeci.src", src));
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return RunConfig.resolve(ConfigSource.of(k -> Optional.ofNullable(params.get(k)), Map.of()), Optional.empty())
                .code();
    }

    /** Into a fresh run directory each time, as every run has its own. */
    private RecipeSource checkout(CodeUnderTest config) {
        return catalogue().checkout(config, freshDest());
    }

    private Path freshDest() {
        return tmp.resolve("run-" + runs++).resolve("recipes").resolve(RECIPE.value());
    }

    private String head(RecipeSource source) {
        return git(source.workTree(), "rev-parse", "HEAD");
    }

    @Test
    void aPullRequestRefIsFetchedExplicitlyAndCheckedOut() {
        RecipeSource source = checkout(config(withTags, "recipeci.ref", "refs/pull/7/head"));

        assertThat(source.commit()).isEqualTo(pull7);
        assertThat(head(source)).isEqualTo(pull7);
        assertThat(source.ref()).isEqualTo("refs/pull/7/head");
        assertThat(source.released()).containsExactly(new Version("1.0.0+1"), new Version("1.1.0+1"));
        assertThat(source.baseVersion()).contains(new Version("1.1.0+1"));
        assertThat(source.exactVersion()).isEmpty();
    }

    @Test
    void validationNamesTheCommitUnderTestBeforeAnythingIsCloned() {
        // The pull request's commit status is set from this, before the run checks anything out.
        assertThat(catalogue().validate(config(withTags, "recipeci.ref", "refs/pull/7/head")))
                .contains(pull7);
        assertThat(catalogue().validate(config(withTags, "recipeci.ref", "feature")))
                .contains(feature);
        assertThat(catalogue().validate(config(withTags, "recipeci.ref", feature)))
                .contains(feature);
        assertThat(catalogue().validate(config(withTags))).contains(release11);
        assertThat(catalogue().validate(config(withTags, "recipeci.version", "1.0.0+1")))
                .contains(release10);
        assertThat(catalogue().validate(config(withTags, "recipeci.ref", "annotated")))
                .as("an annotated tag names its commit, not the tag object")
                .contains(release11);
        assertThat(catalogue().validate(config(withTags, "recipeci.ref", pull7.substring(0, 12))))
                .as("an abbreviated commit id cannot be named before the clone")
                .isEmpty();
    }

    @Test
    void aBranchACommitATagAndTheDefaultBranchAllResolve() {
        assertThat(checkout(config(withTags, "recipeci.ref", "feature")).commit())
                .isEqualTo(feature);
        assertThat(checkout(config(withTags, "recipeci.ref", feature)).commit()).isEqualTo(feature);
        assertThat(checkout(config(withTags, "recipeci.ref", feature.substring(0, 12)))
                        .commit())
                .isEqualTo(feature);
        RecipeSource tag = checkout(config(withTags, "recipeci.ref", "1.0.0+1"));
        assertThat(tag.commit()).isEqualTo(release10);
        assertThat(tag.exactVersion()).contains(new Version("1.0.0+1"));
        assertThat(checkout(config(withTags)).commit()).isEqualTo(release11);
        assertThat(checkout(config(withTags, "recipeci.version", "1.0.0+1")).requestedVersion())
                .contains(new Version("1.0.0+1"));
    }

    @Test
    void aSourceWithoutReleasesGetsTheCataloguesTagsInTheSameClone() {
        RecipeCatalogue catalogue = catalogue();
        RecipeSource source = catalogue.checkout(config(branchesOnly, "recipeci.ref", "refs/pull/7/head"), freshDest());

        assertThat(source.commit()).isEqualTo(pull7);
        assertThat(source.released()).containsExactly(new Version("1.0.0+1"), new Version("1.1.0+1"));
        assertThat(source.baseVersion()).contains(new Version("1.1.0+1"));
        // The upgrade tier moves the same work tree to the release and back.
        Version base = catalogue.upgradeBase(source, Optional.empty()).orElseThrow();
        RecipeSource release = catalogue.release(source, base);
        catalogue.switchTo(release);
        assertThat(head(source)).isEqualTo(release11);
        catalogue.switchTo(source);
        assertThat(head(source)).isEqualTo(pull7);
    }

    @Test
    void aRecipeTheCatalogueLacksTakesItsReleasesFromTheSourceOrHasNone() {
        RecipeSource tagged = checkoutWithoutCatalogue(withTags, "refs/pull/7/head");
        assertThat(tagged.released()).containsExactly(new Version("1.0.0+1"), new Version("1.1.0+1"));
        assertThat(tagged.baseVersion()).contains(new Version("1.1.0+1"));

        RecipeSource untagged = checkoutWithoutCatalogue(branchesOnly, "feature");
        assertThat(untagged.commit()).isEqualTo(feature);
        assertThat(untagged.released()).isEmpty();
        assertThat(untagged.baseVersion()).isEmpty();
    }

    private RecipeSource checkoutWithoutCatalogue(Path src, String ref) {
        Path elsewhere = tmp.resolve("empty-home");
        return new RecipeCatalogue(elsewhere, runner)
                .checkout(config(src, "recipeci.home", elsewhere.toString(), "recipeci.ref", ref), freshDest());
    }

    /**
     * A fork's tags are whatever its owner pushed: stale (1.0.0+1 only), moved (1.1.0+1 on another commit) or
     * invented (9.9.9+1 on the pull request's head). The releases, what the upgrade starts from and what a release
     * deploys stay the catalogue's.
     */
    @Test
    void aForksOwnTagsNeverRedefineTheReleases() {
        Path fork = tmp.resolve("fork.git");
        git(tmp, "clone", "-q", "--bare", "--no-tags", withTags.toString(), fork.toString());
        git(withTags, "push", "-q", fork.toString(), "refs/pull/7/head:refs/pull/7/head");
        git(fork, "tag", "1.0.0+1", release10);
        git(fork, "tag", "1.1.0+1", feature);
        git(fork, "tag", "9.9.9+1", pull7);
        RecipeCatalogue catalogue = catalogue();

        RecipeSource source = catalogue.checkout(config(fork, "recipeci.ref", "refs/pull/7/head"), freshDest());

        assertThat(source.commit()).isEqualTo(pull7);
        assertThat(source.released()).containsExactly(new Version("1.0.0+1"), new Version("1.1.0+1"));
        assertThat(source.exactVersion()).isEmpty();
        assertThat(source.baseVersion()).contains(new Version("1.1.0+1"));
        Version base = catalogue.upgradeBase(source, Optional.empty()).orElseThrow();
        assertThat(catalogue.release(source, base).commit()).isEqualTo(release11);
        assertThatThrownBy(() -> catalogue.validate(config(fork, "recipeci.version", "9.9.9+1")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has no version '9.9.9+1'");
    }

    @Test
    void aMissingRefIsAConfigurationErrorThatListsWhatThereIs() {
        assertThatThrownBy(() -> catalogue().validate(config(withTags, "recipeci.ref", "no-such-branch")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has no branch, tag or ref 'no-such-branch'")
                .hasMessageContaining("branches: feature, main")
                .hasMessageContaining("1 refs under refs/pull/")
                .hasMessageContaining("refs/pull/12/head");
    }

    @Test
    void aMissingReleaseIsAConfigurationErrorNamingTheReleases() {
        assertThatThrownBy(() -> catalogue().validate(config(branchesOnly, "recipeci.version", "9.9.9+1")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has no version '9.9.9+1'")
                .hasMessageContaining("1.0.0+1, 1.1.0+1");
    }

    @Test
    void anUnknownCommitPassesTheProbeButFailsTheCheckoutClearly() {
        CodeUnderTest config = config(withTags, "recipeci.ref", "0123456789abcdef0123456789abcdef01234567");
        catalogue().validate(config);

        assertThatThrownBy(() -> checkout(config))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has no commit or ref '0123456789abcdef0123456789abcdef01234567'");
    }

    /**
     * Over a transport (file:// here, as over https) the clone brings branches and tags only, and git cannot fetch
     * an abbreviated commit id: the head of a pull request must be named in full, and the message says so.
     */
    @Test
    void aCommitOnNoBranchOrTagIsFetchedByItsFullIdOnly() {
        String url = "file://" + withTags;
        assertThat(checkout(config(url, "recipeci.ref", pull7)).commit()).isEqualTo(pull7);

        String shortId = pull7.substring(0, 12);
        assertThatThrownBy(() -> checkout(config(url, "recipeci.ref", shortId)))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has no commit or ref '" + shortId + "' on its branches or tags")
                .hasMessageContaining("give the full 40-character commit id or its ref (e.g. refs/pull/12/head)");
    }

    @Test
    void somethingThatIsNoRepositoryAndAnEmptyRepositoryAreConfigurationErrors() throws Exception {
        Path notARepo = Files.createDirectories(tmp.resolve("not-a-repo"));
        assertThatThrownBy(() -> catalogue().validate(config(notARepo)))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.src " + notARepo + " cannot be read (git: ")
                .hasMessageContaining("clone URL");

        Path empty = tmp.resolve("empty.git");
        git(tmp, "init", "-q", "--bare", empty.toString());
        assertThatThrownBy(() -> catalogue().validate(config(empty)))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("is an empty repository");
    }

    @Test
    void theCatalogueIsNotNeededAndNotTouched() {
        Path repo = home.resolve("recipes").resolve(RECIPE.value());
        String refsBefore = git(repo, "show-ref");

        checkout(config(branchesOnly, "recipeci.ref", "refs/pull/7/head"));

        assertThat(git(repo, "show-ref")).isEqualTo(refsBefore);
    }

    @Test
    void aSourceThatIsNoHttpUrlGetsNoTokenInAnyCommand() {
        String token = "tok-" + Long.toHexString(System.nanoTime());
        CodeUnderTest config = config(branchesOnly, "recipeci.ref", "refs/pull/7/head");
        RecipeCatalogue catalogue = new RecipeCatalogue(
                home, runner, GitCredentials.resolve(config, Map.of(GitCredentials.TOKEN_ENV, token)));
        journal.clear();

        catalogue.checkout(config, freshDest());

        assertThat(journal).anyMatch(r -> r.command().argv().contains("ls-remote"));
        for (CommandResult result : journal) {
            Command command = result.command();
            assertThat(command.display()).doesNotContain(token);
            assertThat(command.env())
                    .as("environment of `%s`", command.display())
                    .doesNotContainValue(token);
        }
    }

    private String commit(Path repo, String file, String content) {
        try {
            Files.writeString(repo.resolve(file), content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        git(repo, "add", file);
        git(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-q", "-m", file);
        return git(repo, "rev-parse", "HEAD");
    }

    private String git(Path dir, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        return new CommandRunner()
                .run(Command.of(argv).withWorkDir(dir).withEnv(Map.of("GIT_TERMINAL_PROMPT", "0")))
                .orThrow()
                .stdout()
                .strip();
    }
}

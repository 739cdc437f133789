package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.testsupport.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The commit a run names before it starts (the one the pull request's status goes on) is the commit it then checks
 * out and tests, for a release, a branch and the default branch alike. Real git on a catalogue in a temp dir.
 */
class RecipeCatalogueIT {
    @TempDir
    Path home;

    private RecipeCatalogue catalogue;

    @BeforeEach
    void aCatalogueWithAReleaseADefaultBranchAndAFeatureBranch() throws Exception {
        Path repo = Files.createDirectories(home.resolve("recipes").resolve("hello"));
        Files.writeString(repo.resolve("compose.yml"), "version: \"3.8\"\n");
        Git.run(repo, "init", "-q", "-b", "main");
        commit(repo, "release");
        Git.run(repo, "tag", "1.0.0+1.0");
        commit(repo, "main moves on");
        Git.run(repo, "checkout", "-q", "-b", "feature");
        commit(repo, "the pull request");
        Git.run(repo, "checkout", "-q", "main");
        catalogue = new RecipeCatalogue(home, new CommandRunner());
    }

    @ParameterizedTest
    @CsvSource({"release,", ",feature", ","})
    void theCommitUnderTestIsTheOneTheRunChecksOut(String version, String ref) throws Exception {
        CodeUnderTest config = new CodeUnderTest(
                new RecipeName("hello"),
                Optional.ofNullable(version).map(v -> new Version("1.0.0+1.0")),
                Optional.ofNullable(ref),
                Optional.empty(),
                Optional.empty(),
                "12");
        String expected = Git.run(
                        home.resolve("recipes/hello"),
                        "rev-parse",
                        version != null ? "1.0.0+1.0^{commit}" : ref != null ? ref : "main")
                .strip();

        String named = catalogue.validate(config).orElseThrow();

        assertThat(named).isEqualTo(expected).matches("[0-9a-f]{40}");
        assertThat(catalogue.checkout(config, home.resolve("run/hello")).commit())
                .isEqualTo(named);
    }

    @Test
    void vPrefixedTagsAreReleasesInTheSameOrderAndTheBaseOfWhatFollowsThem() throws Exception {
        Path repo = Files.createDirectories(home.resolve("recipes").resolve("proxy"));
        Git.run(repo, "init", "-q", "-b", "master");
        commit(repo, "first");
        Git.run(repo, "tag", "v2.4.8"); // lightweight, as traefik's is
        commit(repo, "second");
        Git.run(repo, "tag", "-a", "-m", "chore: publish 2.5.0+2.5 release", "2.5.0+2.5");
        commit(repo, "unreleased");
        RecipeName proxy = new RecipeName("proxy");

        assertThat(catalogue.versions(proxy)).extracting(Version::value).containsExactly("v2.4.8", "2.5.0+2.5");
        RecipeSource head = catalogue.checkout(CodeUnderTest.defaultBranch(proxy), home.resolve("run/proxy-head"));
        assertThat(head.baseVersion()).contains(new Version("2.5.0+2.5"));
        RecipeSource latest = catalogue.checkout(
                new CodeUnderTest(
                        proxy,
                        Optional.of(new Version("2.5.0+2.5")),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        "0"),
                home.resolve("run/proxy-latest"));
        assertThat(catalogue.upgradeBase(latest, Optional.empty())).contains(new Version("v2.4.8"));
        Git.run(repo, "tag", "-d", "2.5.0+2.5");
        RecipeSource past = catalogue.checkout(CodeUnderTest.defaultBranch(proxy), home.resolve("run/proxy-past"));
        assertThat(past.baseVersion()).as("git describe finds a v-tag too").contains(new Version("v2.4.8"));
    }

    private static void commit(Path repo, String message) throws Exception {
        Files.writeString(
                repo.resolve("notes"),
                message + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Git.run(repo, "add", ".");
        Git.run(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", message);
    }
}

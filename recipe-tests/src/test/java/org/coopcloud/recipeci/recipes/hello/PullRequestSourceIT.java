package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.GitCredentials;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull request in a private repository: a real forge in miniature ({@link GitHttpServer}: HTTP Basic with a
 * token in front of git http-backend) serves copies of the demo recipe hello with a {@code refs/pull/7/head} one
 * commit on top of main. {@code hello.git} has the release tags; {@code hello-fork.git} has branches only, as a
 * fork or mirror may. The token must open the repository and must never show: not in an argv, a log, a report, a
 * file of the run, or a message.
 */
class PullRequestSourceIT {
    private static final String TOKEN =
            "rcitok" + HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(12));
    /** The harness's own catalogue (RECIPECI_HOME, as the runs below read it): the fork must share its history. */
    private static final Path CATALOGUE = Optional.ofNullable(System.getenv("RECIPECI_HOME"))
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), ".recipe-ci"))
            .resolve("recipes")
            .resolve("hello");

    @TempDir
    static Path forge;

    private static GitHttpServer server;
    private static String pullHead;

    @TempDir
    Path runs;

    private final List<String> stacks = new ArrayList<>();

    @BeforeAll
    static void forgeWithAPullRequest() throws IOException {
        assertThat(CATALOGUE.resolve(".git"))
                .as("the demo catalogue (run `scripts/local-swarm up`)")
                .isDirectory();
        Path repos = forge.resolve("repos");
        git(
                forge,
                "clone",
                "-q",
                "--bare",
                CATALOGUE.toString(),
                repos.resolve("hello.git").toString());
        git(
                forge,
                "clone",
                "-q",
                "--bare",
                "--no-tags",
                CATALOGUE.toString(),
                repos.resolve("hello-fork.git").toString());
        Path work = forge.resolve("work");
        git(forge, "clone", "-q", CATALOGUE.toString(), work.toString());
        Files.writeString(work.resolve("PULL-7.md"), "A change proposed in pull request 7.\n");
        git(work, "add", "PULL-7.md");
        git(work, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-q", "-m", "pull request 7");
        pullHead = git(work, "rev-parse", "HEAD");
        for (String repo : List.of("hello.git", "hello-fork.git")) {
            git(work, "push", "-q", repos.resolve(repo).toString(), "HEAD:refs/pull/7/head");
        }
        server = GitHttpServer.serve(repos, TOKEN);
    }

    @AfterAll
    static void stopTheForge() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void nothingOfTheseRunsIsLeftOnTheSwarm() throws Exception {
        RecipeCiProcess.assertNothingLeftOf(stacks);
    }

    // --- the fetch itself -----------------------------------------------------------------------------------------

    @Test
    void theTokenOpensThePullRequestAndIsNeverRecorded() throws IOException {
        CodeUnderTest config = config("hello.git", "refs/pull/7/head");
        List<CommandResult> journal = new CopyOnWriteArrayList<>();
        RunLog log = new RunLog(System.out, Optional.of(runs.resolve("logs")));
        CommandRunner runner = new CommandRunner(Duration.ofSeconds(2), result -> {
            journal.add(result);
            log.command(result);
        });
        RecipeCatalogue catalogue = new RecipeCatalogue(
                CATALOGUE.getParent().getParent(), runner, GitCredentials.resolve(config, tokenEnv(TOKEN)));

        RecipeSource source = catalogue.checkout(config, runs.resolve("recipes").resolve("hello"));

        assertThat(source.commit()).isEqualTo(pullHead);
        assertThat(source.released()).extracting(Object::toString).containsExactly("1.0.0+2.0", "1.1.0+2.1");
        assertThat(server.served()).isPositive();
        assertThat(journal).extracting(r -> r.command().display()).noneMatch(argv -> argv.contains(TOKEN));
        // Only what talks to the forge carries the token, in its environment; the clone's local git calls do not.
        assertThat(journal)
                .filteredOn(r -> r.command().env().containsValue(TOKEN))
                .extracting(r -> r.command().argv().stream()
                        .filter(a -> List.of("ls-remote", "clone", "fetch").contains(a))
                        .findFirst()
                        .orElse(r.command().display()))
                .containsExactly("ls-remote", "clone", "fetch");
        assertThat(runs.resolve("logs/commands.log"))
                .content()
                .contains("ls-remote")
                .contains(server.url("hello.git"))
                .doesNotContain(TOKEN);
        assertThat(filesContainingTheToken(runs)).isEmpty();
    }

    @Test
    void withoutATokenTheProbeSaysWhatToSet() {
        CodeUnderTest config = config("hello.git", "refs/pull/7/head");

        assertThatThrownBy(() -> catalogue(config, Map.of()).validate(config))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.src " + server.url("hello.git") + " needs credentials")
                .hasMessageContaining("terminal prompts disabled")
                .hasMessageContaining("set RECIPECI_GIT_TOKEN");
    }

    @Test
    void aWrongTokenIsRefusedWithoutShowingEitherToken() {
        CodeUnderTest config = config("hello.git", "refs/pull/7/head");
        String wrong = "wrongtoken" + System.nanoTime();

        assertThatThrownBy(() -> catalogue(config, tokenEnv(wrong)).validate(config))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("refused the token in RECIPECI_GIT_TOKEN")
                .hasMessageContaining("Authentication failed")
                .hasMessageNotContaining(wrong)
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aPullRequestTheForgeDoesNotHaveIsNamed() {
        CodeUnderTest config = config("hello.git", "refs/pull/8/head");

        assertThatThrownBy(() -> catalogue(config, tokenEnv(TOKEN)).validate(config))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has no branch, tag or ref 'refs/pull/8/head'")
                .hasMessageContaining("1 refs under refs/pull/")
                .hasMessageNotContaining(TOKEN);
    }

    // --- end to end, through the launcher -----------------------------------------------------------------------

    @Test
    void aPullRequestOfAForkWithoutTagsRunsGreenAndTheTokenShowsNowhere() throws Exception {
        RecipeCiProcess.Outcome outcome = RecipeCiProcess.run(
                runs,
                "it-pr",
                tokenEnv(TOKEN),
                "-Drecipe=hello",
                "-Drecipeci.src=" + server.url("hello-fork.git"),
                "-Drecipeci.ref=refs/pull/7/head");
        stacks.addAll(outcome.stacks());

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains("code under test refs/pull/7/head @ " + pullHead.substring(0, 8) + " from "
                        + server.url("hello-fork.git"))
                .contains("GREEN (exit 0)")
                .doesNotContain(TOKEN);
        JsonNode results =
                new ObjectMapper().readTree(runs.resolve("it-pr/results.json").toFile());
        assertThat(results.path("code_under_test").asText()).isEqualTo("refs/pull/7/head@" + pullHead.substring(0, 8));
        // Every tier hello has passes; it has no CUSTOM tests, so L4 is unverified.
        assertThat(results.path("level").asText()).isEqualTo("L3");
        // The fork has no tags: the upgrade starts from the catalogue's release the pull request builds on.
        assertThat(results.path("installed_version").asText()).isEqualTo("1.1.0+2.1");
        assertThat(results.path("no_secret_leak").asBoolean()).isTrue();
        assertThat(results.path("clean_teardown").asBoolean()).isTrue();
        assertThat(runs.resolve("it-pr/logs/commands.log"))
                .content()
                .contains("clone --quiet --no-checkout --no-tags -- " + server.url("hello-fork.git"))
                .contains("fetch --quiet --no-tags origin +refs/pull/7/head:");
        assertThat(filesContainingTheToken(runs.resolve("it-pr"))).isEmpty();
    }

    @Test
    void withoutTheTokenTheRunStopsBeforeDeployingAndAsksNoOtherHelper() throws Exception {
        // A helper in the global git configuration that knows the right token: the run must not ask it.
        Path marker = runs.resolve("global-helper-was-asked");
        Path gitconfig = Files.writeString(
                runs.resolve("gitconfig"),
                "[credential]\n\thelper = \"!f() { touch " + marker + "; echo username=x; echo password=" + TOKEN
                        + "; }; f\"\n");

        RecipeCiProcess.Outcome outcome = RecipeCiProcess.run(
                runs,
                "it-pr-no-token",
                Map.of("GIT_CONFIG_GLOBAL", gitconfig.toString()),
                "-Drecipe=hello",
                "-Drecipeci.src=" + server.url("hello.git"),
                "-Drecipeci.ref=refs/pull/7/head");
        stacks.addAll(outcome.stacks());

        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output())
                .contains("configuration error: recipeci.src " + server.url("hello.git") + " needs credentials")
                .contains("RECIPECI_GIT_TOKEN")
                .doesNotContain("Exception");
        assertThat(marker).doesNotExist();
    }

    private CodeUnderTest config(String repository, String ref) {
        Map<String, String> params = new HashMap<>(Map.of(
                "recipeci.recipe",
                "hello",
                "recipeci.src",
                server.url(repository),
                "recipeci.ref",
                ref,
                "recipeci.runs-dir",
                runs.toString()));
        return RunConfig.resolve(ConfigSource.of(k -> Optional.ofNullable(params.get(k)), Map.of()), Optional.empty())
                .code();
    }

    private static RecipeCatalogue catalogue(CodeUnderTest config, Map<String, String> env) {
        return new RecipeCatalogue(
                CATALOGUE.getParent().getParent(), new CommandRunner(), GitCredentials.resolve(config, env));
    }

    private static Map<String, String> tokenEnv(String token) {
        return Map.of(GitCredentials.TOKEN_ENV, token);
    }

    /** Every file below {@code dir} (the clone's .git included) whose bytes contain the token. */
    private static List<Path> filesContainingTheToken(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> read(file).contains(TOKEN))
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String git(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        return new CommandRunner()
                .run(Command.of(argv).withWorkDir(dir).withEnv(Map.of("GIT_TERMINAL_PROMPT", "0")))
                .orThrow()
                .stdout()
                .strip();
    }
}

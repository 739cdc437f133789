package org.coopcloud.recipeci.internal.report.gitea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GiteaConfigTest {
    private static final String TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";

    @TempDir
    Path dir;

    static RunConfig run(String pr) {
        return RunConfig.of(
                        new RecipeName("hello"),
                        new RunPaths(
                                Path.of("/home"), Path.of("/runs"), Path.of("/lock"), RunPaths.DEFAULT_DOMAIN_SUFFIX))
                .withRunId(new RunId("41"))
                .withStages(EnumSet.of(Stage.INSTALL, Stage.CUSTOM))
                .withCode(CodeUnderTest.defaultBranch(new RecipeName("hello")).forPullRequest(pr));
    }

    private static Optional<GiteaConfig> resolve(Map<String, String> params, Map<String, String> env, String pr) {
        return GiteaConfig.resolve(ConfigSource.of(k -> Optional.ofNullable(params.get(k)), env), env, run(pr));
    }

    private static Map<String, String> params(String... keyValues) {
        Map<String, String> params = new HashMap<>();
        params.put("recipeci.gitea.url", "https://git.example.org");
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    private static final Map<String, String> WITH_TOKEN = Map.of(GiteaConfig.TOKEN_ENV, TOKEN);

    @Test
    void offWithoutAUrl_evenWithATokenAround() {
        assertThat(resolve(Map.of(), WITH_TOKEN, "12")).isEmpty();
        assertThat(resolve(Map.of(), Map.of(), "0")).isEmpty();
    }

    @Test
    void defaults_repoOfTheRecipe_contextRecipeCi_fiveSecondTimeout_buildLinkFromDrone() {
        Map<String, String> env = new HashMap<>(WITH_TOKEN);
        env.put("DRONE_BUILD_LINK", "https://drone.example.org/coop-cloud/recipe-ci/41");

        GiteaConfig config = resolve(params(), env, "12").orElseThrow();

        assertThat(config.owner()).isEqualTo("coop-cloud");
        assertThat(config.repo()).isEqualTo("hello");
        assertThat(config.pullRequest()).isEqualTo(12);
        assertThat(config.context()).isEqualTo("recipe-ci");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.sha()).isEmpty();
        assertThat(config.buildUrl())
                .hasValueSatisfying(u -> assertThat(u.toString()).endsWith("/41"));
        assertThat(config.api("/repos/coop-cloud/hello/pulls/12").toString())
                .isEqualTo("https://git.example.org/api/v1/repos/coop-cloud/hello/pulls/12");
    }

    @Test
    void everyKnobIsReadAndTheEnvironmentWorksWithUnderscores() {
        Map<String, String> env = new HashMap<>(WITH_TOKEN);
        env.put("RECIPECI_GITEA_URL", "http://127.0.0.1:3000/");
        env.put("RECIPECI_GITEA_REPO", "someone/hello-fork");
        env.put("RECIPECI_GITEA_SHA", "ABCDEF0123456789ABCDEF0123456789ABCDEF01");
        env.put("RECIPECI_GITEA_CONTEXT", "recipe-ci/hello");
        env.put("RECIPECI_GITEA_TIMEOUT", "800ms");
        env.put("RECIPECI_BUILD_URL", "https://ci.example.org/b/41");
        env.put("DRONE_BUILD_LINK", "https://drone.example.org/ignored");

        GiteaConfig config = resolve(Map.of(), env, "7").orElseThrow();

        assertThat(config.baseUrl().toString()).isEqualTo("http://127.0.0.1:3000");
        assertThat(config.owner() + "/" + config.repo()).isEqualTo("someone/hello-fork");
        assertThat(config.sha()).contains("abcdef0123456789abcdef0123456789abcdef01");
        assertThat(config.context()).isEqualTo("recipe-ci/hello");
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(config.buildUrl())
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("https://ci.example.org/b/41"));
    }

    @Test
    void anApiV1SuffixOnTheUrlIsDropped() {
        GiteaConfig config = resolve(params("recipeci.gitea.url", "https://example.org/gitea/api/v1/"), WITH_TOKEN, "3")
                .orElseThrow();
        assertThat(config.baseUrl().toString()).isEqualTo("https://example.org/gitea");
    }

    @Test
    void noPullRequest_isAConfigurationErrorThatSaysWhatToSet() {
        assertThatThrownBy(() -> resolve(params(), WITH_TOKEN, "0"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("set PR (or recipeci.pr)")
                .hasMessageContaining("unset recipeci.gitea.url");
        assertThatThrownBy(() -> resolve(params(), WITH_TOKEN, "feature-x"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.pr 'feature-x' is not a pull-request number");
    }

    @Test
    void noToken_isAConfigurationErrorNamingBothPlacesForIt() {
        assertThatThrownBy(() -> resolve(params(), Map.of(), "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("RECIPECI_GITEA_TOKEN")
                .hasMessageContaining("recipeci.gitea.token-file");
    }

    @Test
    void aTokenGivenOnMavensCommandLineIsRefused_thoughThePomForwardsNoToken() {
        Map<String, String> params = params();
        ConfigSource underMaven = ConfigSource.of(
                k -> Optional.ofNullable(params.get(k)), WITH_TOKEN, java.util.Set.of("recipeci.gitea.token"));

        assertThatThrownBy(() -> GiteaConfig.resolve(underMaven, WITH_TOKEN, run("12")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("process list");
    }

    @Test
    void aTokenGivenAsAParameterIsRefused_withoutShowingIt() {
        assertThatThrownBy(() -> resolve(params("recipeci.gitea.token", TOKEN), Map.of(), "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("process list")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void theTokenFileIsReadAndWinsOverTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  filetoken0123456789abcdef\n");

        GiteaConfig config = resolve(params("recipeci.gitea.token-file", file.toString()), WITH_TOKEN, "12")
                .orElseThrow();

        assertThat(config.token().authorization()).isEqualTo("token filetoken0123456789abcdef");
    }

    @Test
    void anUnreadableOrEmptyTokenFileIsAConfigurationError() throws Exception {
        assertThatThrownBy(() -> resolve(
                        params(
                                "recipeci.gitea.token-file",
                                dir.resolve("missing").toString()),
                        Map.of(),
                        "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("cannot be read");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> resolve(params("recipeci.gitea.token-file", empty.toString()), Map.of(), "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void aTokenWithWhitespaceInsideIsRefused_withoutShowingIt() {
        assertThatThrownBy(() -> resolve(params(), Map.of(GiteaConfig.TOKEN_ENV, "abc def"), "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("RECIPECI_GITEA_TOKEN has spaces")
                .hasMessageNotContaining("abc def");
    }

    @Test
    void theTokenShowsNowhereInTheConfigurationsText() {
        GiteaConfig config = resolve(params(), WITH_TOKEN, "12").orElseThrow();
        assertThat(config.toString()).doesNotContain(TOKEN).contains("GiteaToken[hidden]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://git.example.org", "git.example.org", "https://", "file:///etc/passwd"})
    void theUrlMustBeHttpOrHttps(String url) {
        assertThatThrownBy(() -> resolve(params("recipeci.gitea.url", url), WITH_TOKEN, "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.gitea.url")
                .hasMessageContaining("e.g. https://git.coopcloud.tech");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://git.example.org", "HTTP://git.example.org/", "http://10.0.0.5:3000"})
    void plainHttpToAnotherHostIsRefused_theTokenWouldCrossTheNetworkInClear(String url) {
        assertThatThrownBy(() -> resolve(params("recipeci.gitea.url", url), WITH_TOKEN, "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("is plain http to another host: the token would cross the network in clear")
                .hasMessageContaining("Use https (e.g. https://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:3000", "http://localhost:3000/gitea", "http://[::1]:3000"})
    void plainHttpToThisMachineIsAccepted(String url) {
        assertThat(resolve(params("recipeci.gitea.url", url), WITH_TOKEN, "12")).isPresent();
    }

    @Test
    void aTokenTooShortToBeOneIsRefused_itWouldBlackOutLogLinesAsASecret() {
        assertThatThrownBy(() -> resolve(params(), Map.of(GiteaConfig.TOKEN_ENV, "TODO"), "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("RECIPECI_GITEA_TOKEN is only 4 characters long: a Gitea access token has 40")
                .hasMessageNotContaining("TODO");
    }

    @Test
    void aTokenFileFarLargerThanATokenIsRefusedUnread() throws Exception {
        Path big = Files.writeString(dir.resolve("big"), "x".repeat(10_000));

        assertThatThrownBy(() -> resolve(params("recipeci.gitea.token-file", big.toString()), Map.of(), "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("is 10000 bytes, far more than a token");
    }

    @Test
    void credentialsInTheUrlAreRefused_andNotRepeated() {
        assertThatThrownBy(() ->
                        resolve(params("recipeci.gitea.url", "https://bot:hunter2@git.example.org"), WITH_TOKEN, "1"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("carries credentials")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() ->
                        resolve(params("recipeci.gitea.url", "https://git.example.org?token=hunter2"), WITH_TOKEN, "1"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "a/b/c", "../hello", "owner/", "own er/hello"})
    void theRepoMustBeOwnerSlashName(String repo) {
        assertThatThrownBy(() -> resolve(params("recipeci.gitea.repo", repo), WITH_TOKEN, "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("OWNER/NAME");
    }

    @Test
    void theShaMustBeAFullCommitId_andTheTimeoutADurationInRange() {
        assertThatThrownBy(() -> resolve(params("recipeci.gitea.sha", "abc1234"), WITH_TOKEN, "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("not a full commit id");
        assertThatThrownBy(() -> resolve(params("recipeci.gitea.timeout", "soon"), WITH_TOKEN, "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("e.g. 5s");
        assertThatThrownBy(() -> resolve(params("recipeci.gitea.timeout", "5000s"), WITH_TOKEN, "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("between 100 ms and 60 s");
        assertThatThrownBy(() -> resolve(params("recipeci.build-url", "drone/41"), WITH_TOKEN, "12"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.build-url");
    }
}

package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitCredentialsTest {
    private static final String TOKEN = "tok-1a2b3c4d5e";

    @TempDir
    Path tmp;

    private static CodeUnderTest config(Optional<Path> tokenFile) {
        return config("https://git.example.org/forks/hello.git", tokenFile);
    }

    private static CodeUnderTest config(String src, Optional<Path> tokenFile) {
        Map<String, String> params = new java.util.HashMap<>(Map.of("recipeci.recipe", "hello", "recipeci.src", src));
        tokenFile.ifPresent(f -> params.put("recipeci.git-token-file", f.toString()));
        return RunConfig.resolve(ConfigSource.of(k -> Optional.ofNullable(params.get(k)), Map.of()), Optional.empty())
                .code();
    }

    @Test
    void theTokenTravelsInTheEnvironmentAndNeverInTheOptions() {
        GitCredentials credentials =
                GitCredentials.resolve(config(Optional.empty()), Map.of(GitCredentials.TOKEN_ENV, TOKEN));

        assertThat(credentials.environment()).containsEntry(GitCredentials.TOKEN_ENV, TOKEN);
        assertThat(String.join(" ", credentials.options()))
                .doesNotContain(TOKEN)
                .contains("credential.https://git.example.org.helper=!f()")
                .contains("$" + GitCredentials.TOKEN_ENV);
    }

    @Test
    void everyOtherHelperAndPromptIsSwitchedOff() {
        GitCredentials credentials =
                GitCredentials.resolve(config(Optional.empty()), Map.of(GitCredentials.TOKEN_ENV, TOKEN));

        // The reset comes before the run's own helper: git reads -c options in order.
        assertThat(credentials.options())
                .containsSubsequence(
                        "-c",
                        "credential.helper=",
                        "-c",
                        "credential.https://git.example.org.helper=" + GitCredentials.HELPER)
                .contains("core.askPass=");
        assertThat(credentials.environment())
                .containsEntry("GIT_TERMINAL_PROMPT", "0")
                .containsEntry("GIT_ASKPASS", "")
                .containsEntry("SSH_ASKPASS", "")
                // A host that sets GIT_TRACE_REDACT=0 with GIT_CURL_VERBOSE would otherwise log the Basic header.
                .containsEntry("GIT_TRACE_REDACT", "1");
    }

    @Test
    void theHelperAnswersForTheSourcesOwnOriginOnly() {
        GitCredentials credentials = GitCredentials.resolve(
                config("http://127.0.0.1:3000/forks/hello.git", Optional.empty()),
                Map.of(GitCredentials.TOKEN_ENV, TOKEN));

        assertThat(credentials.options())
                .contains("credential.http://127.0.0.1:3000.helper=" + GitCredentials.HELPER)
                .doesNotContain("credential.helper=" + GitCredentials.HELPER);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ssh://git@git.example.org/forks/hello.git",
                "git@git.example.org:forks/hello.git",
                "git://git.example.org/hello.git",
                "/srv/mirror/hello.git",
                "file:///srv/mirror/hello.git"
            })
    void aSourceThatIsNoHttpUrlNeverGetsTheToken(String src) {
        GitCredentials credentials =
                GitCredentials.resolve(config(src, Optional.empty()), Map.of(GitCredentials.TOKEN_ENV, TOKEN));

        assertThat(credentials.sendsToken()).isFalse();
        // Still known, so that the run redacts it.
        assertThat(credentials.token()).contains(TOKEN);
        assertThat(credentials.environment()).doesNotContainKey(GitCredentials.TOKEN_ENV);
        assertThat(credentials.options()).contains("credential.helper=").noneMatch(o -> o.contains("!f()"));
    }

    @Test
    void withoutATokenGitGetsNoHelperAtAll() {
        GitCredentials credentials = GitCredentials.resolve(config(Optional.empty()), Map.of());

        assertThat(credentials.sendsToken()).isFalse();
        assertThat(credentials.options()).contains("credential.helper=").noneMatch(o -> o.contains("!f()"));
        assertThat(credentials.environment()).doesNotContainKey(GitCredentials.TOKEN_ENV);
    }

    @Test
    void theTokenFileBeatsTheEnvironmentAndMayEndWithANewline() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "from-file-token\n");
        GitCredentials credentials =
                GitCredentials.resolve(config(Optional.of(file)), Map.of(GitCredentials.TOKEN_ENV, TOKEN));

        assertThat(credentials.token()).contains("from-file-token");
        assertThat(credentials.origin()).contains("recipeci.git-token-file").contains(file.toString());
    }

    @Test
    void aRunWithoutSrcReadsNoTokenAtAll() {
        RunConfig withoutSrc = RunConfig.resolve(
                ConfigSource.of(
                        k -> Optional.ofNullable(Map.of(
                                        "recipeci.recipe",
                                        "hello",
                                        "recipeci.git-token-file",
                                        tmp.resolve("missing").toString())
                                .get(k)),
                        Map.of()),
                Optional.empty());

        GitCredentials credentials = GitCredentials.resolve(withoutSrc.code(), Map.of(GitCredentials.TOKEN_ENV, TOKEN));

        assertThat(credentials.sendsToken()).isFalse();
    }

    @Test
    void anUnreadableTokenFileIsAConfigurationError() {
        assertThatThrownBy(() -> GitCredentials.resolve(config(Optional.of(tmp.resolve("missing"))), Map.of()))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.git-token-file")
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aTokenOfTwoLinesIsRejectedWithoutShowingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "first-line\nusername=evil\n");
        assertThatThrownBy(() -> GitCredentials.resolve(config(Optional.of(file)), Map.of()))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("one line")
                .hasMessageNotContaining("first-line")
                .hasMessageNotContaining("evil");
    }

    @Test
    void anEmptyTokenFileIsRejected() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "\n");
        assertThatThrownBy(() -> GitCredentials.resolve(config(Optional.of(file)), Map.of()))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void scrubRemovesTheTokenItsBasicAuthFormAndUrlUserInfo() {
        GitCredentials credentials =
                GitCredentials.resolve(config(Optional.empty()), Map.of(GitCredentials.TOKEN_ENV, TOKEN));
        String basic = Base64.getEncoder().encodeToString(("recipe-ci:" + TOKEN).getBytes(StandardCharsets.UTF_8));

        String scrubbed = credentials.scrub("fatal: " + TOKEN + " Authorization: Basic " + basic
                + " for 'https://someone:other-secret@git.example.org/x.git/'");

        assertThat(scrubbed)
                .doesNotContain(TOKEN)
                .doesNotContain(basic)
                .doesNotContain("other-secret")
                .contains(RunSecrets.REDACTED)
                .contains("https://***@git.example.org/x.git/");
    }

    @Test
    void toStringHidesTheToken() {
        GitCredentials credentials =
                GitCredentials.resolve(config(Optional.empty()), Map.of(GitCredentials.TOKEN_ENV, TOKEN));
        assertThat(credentials.toString()).doesNotContain(TOKEN).contains("hidden");
    }
}

package org.coopcloud.recipeci.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.coopcloud.recipeci.RecipeConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SourceRepositoryTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://git.coopcloud.tech/coop-cloud/hello.git",
                "http://127.0.0.1:8080/hello.git",
                "ssh://git@git.example.org:2222/forks/hello.git",
                "git://git.example.org/hello",
                "file:///srv/mirror/hello.git",
                "git@git.example.org:forks/hello.git",
                "/srv/mirror/hello.git"
            })
    void acceptsCloneUrlsAndAbsolutePaths(String location) {
        assertThat(new SourceRepository(location).location()).isEqualTo(location);
    }

    @ParameterizedTest
    @CsvSource({
        "https://bot:tok-9f8e7d@git.example.org/x.git, https://***@git.example.org/x.git",
        "https://tok-9f8e7d@git.example.org/x.git, https://***@git.example.org/x.git",
        "http://bot:tok-9f8e7d@127.0.0.1:3000/x.git, http://***@127.0.0.1:3000/x.git",
        "ssh://git:tok-9f8e7d@git.example.org/x.git, ssh://***@git.example.org/x.git"
    })
    void rejectsCredentialsInTheUrlAndNeverEchoesThem(String location, String shown) {
        assertThatThrownBy(() -> new SourceRepository(location))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.src '" + shown + "' carries credentials")
                .hasMessageContaining("RECIPECI_GIT_TOKEN")
                .hasMessageNotContaining("tok-9f8e7d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"coop-cloud/hello", "hello.git", "./hello", "bot:tok-9f8e7d@host/x.git"})
    void rejectsWhatIsNeitherAUrlNorAnAbsolutePath(String location) {
        assertThatThrownBy(() -> new SourceRepository(location))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("is neither a clone URL nor an absolute path")
                .hasMessageContaining("https://")
                .hasMessageNotContaining("tok-9f8e7d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.org/x.git", "ext::sh -c x", "fd::3", "HTTPS://example.org/x.git"})
    void rejectsTransportsGitShouldNotRunHere(String location) {
        assertThatThrownBy(() -> new SourceRepository(location))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.src")
                .hasMessageContaining("https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--upload-pack=touch /tmp/x", "-c", "https://a.example/x.git y", "https://a\n.example"})
    void rejectsOptionsAndWhitespace(String location) {
        assertThatThrownBy(() -> new SourceRepository(location))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.src");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ssh://-oProxyCommand=touch${IFS}x/hello.git",
                "ssh://-oProxyCommand=x@host/hello.git",
                "git@-oProxyCommand:hello.git",
                "https://host=evil/hello.git",
                "https:///hello.git",
                "http://host:port/hello.git"
            })
    void rejectsHostsThatAreNoPlainHost(String location) {
        assertThatThrownBy(() -> new SourceRepository(location))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.src")
                .hasMessageContaining("https://git.coopcloud.tech/coop-cloud/hello.git");
    }

    @ParameterizedTest
    @CsvSource({
        "https://git.example.org/x.git, https://git.example.org",
        "http://127.0.0.1:3000/x.git, http://127.0.0.1:3000",
        "https://[::1]:8443/x.git, https://[::1]:8443"
    })
    void anHttpLocationHasAnOrigin(String location, String origin) {
        assertThat(new SourceRepository(location).httpOrigin()).contains(origin);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh://git@h/x.git", "git@h:x.git", "git://h/x", "file:///srv/x.git", "/srv/x.git"})
    void anythingElseHasNone(String location) {
        assertThat(new SourceRepository(location).httpOrigin()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"https://u:p@h/x, https://***@h/x", "https://h/x, https://h/x", "u:p@h/x, ***@h/x", "/srv/x, /srv/x"})
    void maskedHidesTheUserInfo(String location, String masked) {
        assertThat(SourceRepository.masked(location)).isEqualTo(masked);
    }
}

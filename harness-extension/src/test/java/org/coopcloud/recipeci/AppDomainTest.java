package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppDomainTest {

    @ParameterizedTest
    @ValueSource(strings = {"hell-1a2b3c.ci.commoninternet.net", "hello.ci.example.org", "a.b", "x-1.y2"})
    void acceptsLowercaseDottedLabels(String value) {
        assertThat(new AppDomain(value)).hasToString(value);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "hello",
                "Hello.example.org",
                "-x.example.org",
                "x-.example.org",
                "a..b",
                ".example.org",
                "example.org.",
                "under_score.example.org",
                "with space.org",
                ""
            })
    void rejectsAnythingElse(String value) {
        assertThatThrownBy(() -> new AppDomain(value))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'" + value + "' is not a usable app domain")
                .hasMessageContaining("'hello.ci.example.org'");
    }

    @Test
    void rejectsOverlongDomains() {
        String label = "a".repeat(60);
        String value = String.join(".", label, label, label, label); // 243 chars
        assertThatThrownBy(() -> new AppDomain(value)).isInstanceOf(RecipeConfigurationException.class);
    }

    @Test
    void stackNameReplacesDotsWithUnderscores() {
        assertThat(new AppDomain("hell-1a2b3c.ci.commoninternet.net").stackName())
                .isEqualTo(new StackName("hell-1a2b3c_ci_commoninternet_net"));
    }
}

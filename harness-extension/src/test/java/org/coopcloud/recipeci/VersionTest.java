package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.1.0+2.1",
                "1.0.0",
                "10.20.30+v1.2-rc_3",
                "0.0.1+1",
                "v2.4.8",
                "1.2.3+4.5",
                "1.0.0+1.0.5-social-amd64",
                "2.0.1+1.0.6-social-amd64",
                "0.3.0+2021.10",
                "1.0.0-rc1+2.0",
                "v1.0.0-beta.2"
            })
    void acceptsWhatAbrasCatalogueTakesAsReleases(String text) {
        assertThat(new Version(text)).hasToString(text);
        assertThat(Version.isVersion(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "v1.0",
                "1.0+2",
                "1.0",
                "1.0.0+",
                "1.0.0+a b",
                "main",
                "",
                "latest",
                "main-backup",
                "1.2+3",
                "1.2.3.4",
                "1.13.4_1",
                "01.0.0",
                "V1.0.0",
                "1.0.0-",
                "1.0.0+x..y"
            })
    void rejectsOtherShapesSayingHowAVersionLooks(String text) {
        assertThat(Version.isVersion(text)).isFalse();
        assertThatThrownBy(() -> new Version(text))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'" + text + "' is not a recipe version")
                .hasMessageContaining("<major>.<minor>.<patch>+<upstream version>")
                .hasMessageContaining("'1.1.0+2.1'")
                .hasMessageContaining("'v2.4.8'");
    }

    @Test
    void isVersionToleratesNull() {
        assertThat(Version.isVersion(null)).isFalse();
    }

    private static List<String> sorted(String... versions) {
        return Stream.of(versions)
                .map(Version::new)
                .sorted()
                .map(Version::value)
                .toList();
    }

    @Test
    void theResearchNotesVectorsSortAsAbrasReleasesDo() {
        assertThat(sorted("1.2.3+4.5", "v2.4.8", "1.0.0+1.0.5-social-amd64", "0.3.0+2021.10"))
                .containsExactly("0.3.0+2021.10", "1.0.0+1.0.5-social-amd64", "1.2.3+4.5", "v2.4.8");
        assertThat(sorted("10.0.0+1.0", "9.1.0+1.0")).containsExactly("9.1.0+1.0", "10.0.0+1.0");
        assertThat(sorted("1.0.0+2.0", "1.0.0-rc1+2.0")).containsExactly("1.0.0-rc1+2.0", "1.0.0+2.0");
        assertThat(sorted("2.0.1+1.0.6-social-amd64", "1.0.0+1.0.5-social-amd64", "2.0.0+1.0.5-social-amd64"))
                .containsExactly("1.0.0+1.0.5-social-amd64", "2.0.0+1.0.5-social-amd64", "2.0.1+1.0.6-social-amd64");
    }

    @Test
    void numbersCompareAsNumbers() {
        assertThat(new Version("1.10.0+1")).isGreaterThan(new Version("1.9.0+2"));
        assertThat(new Version("2.0.0")).isGreaterThan(new Version("1.99.99+9"));
        assertThat(new Version("1.0.10")).isGreaterThan(new Version("1.0.9"));
        assertThat(new Version("123456789012345678901.0.0")).isGreaterThan(new Version("99999999999999999999.0.0"));
    }

    @Test
    void preReleasesFollowSemverPrecedence() {
        assertThat(sorted(
                        "1.0.0",
                        "1.0.0-rc.1",
                        "1.0.0-beta.11",
                        "1.0.0-beta.2",
                        "1.0.0-beta",
                        "1.0.0-alpha.beta",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha"))
                .containsExactly(
                        "1.0.0-alpha",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha.beta",
                        "1.0.0-beta",
                        "1.0.0-beta.2",
                        "1.0.0-beta.11",
                        "1.0.0-rc.1",
                        "1.0.0");
    }

    @Test
    void theUpstreamPartBreaksTiesWithNumbersAsNumbers_andAVDoesNotMoveAVersion() {
        assertThat(new Version("1.0.0+2.1")).isGreaterThan(new Version("1.0.0+2.0"));
        assertThat(new Version("1.0.0+2.0")).isGreaterThan(new Version("1.0.0"));
        assertThat(new Version("1.0.0+2.10")).isGreaterThan(new Version("1.0.0+2.9"));
        assertThat(new Version("v1.0.1")).isGreaterThan(new Version("1.0.0+9.9"));
        assertThat(new Version("1.0.0+2.0")).isEqualByComparingTo(new Version("1.0.0+2.0"));
        assertThat(new Version("v1.0.0").compareTo(new Version("1.0.0")))
                .as("consistent with equals")
                .isNotZero();
    }
}

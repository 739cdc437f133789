package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.1.0+2.1", "1.0.0", "10.20.30+v1.2-rc_3", "0.0.1+1"})
    void acceptsRecipeVersions(String text) {
        assertThat(new Version(text)).hasToString(text);
        assertThat(Version.isVersion(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.0", "1.0+2", "1.0", "v1.0.0", "1.0.0+", "1.0.0+a b", "main", ""})
    void rejectsOtherShapes(String text) {
        assertThat(Version.isVersion(text)).isFalse();
        assertThatThrownBy(() -> new Version(text))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'" + text + "' is not a recipe version")
                .hasMessageContaining("<major>.<minor>.<patch>+<upstream version>")
                .hasMessageContaining("'1.1.0+2.1'");
    }

    @Test
    void isVersionToleratesNull() {
        assertThat(Version.isVersion(null)).isFalse();
    }
}

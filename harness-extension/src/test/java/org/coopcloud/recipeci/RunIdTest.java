package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunIdTest {

    @Test
    void manualIsManualDashPid() {
        assertThat(RunId.manual().value())
                .isEqualTo("manual-" + ProcessHandle.current().pid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "build.7_a-b", "A"})
    void acceptsDirectoryNames(String value) {
        assertThat(new RunId(value)).hasToString(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc", "a/b", ".hidden", "-x", "a b"})
    void rejectsWhatIsNoPlainDirectoryName(String value) {
        assertThatThrownBy(() -> new RunId(value))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("run id '" + value + "'");
    }

    @Test
    void rejectsMoreThanSixtyFourCharacters() {
        assertThat(new RunId("a".repeat(64)).value()).hasSize(64);
        assertThatThrownBy(() -> new RunId("a".repeat(65))).isInstanceOf(RecipeConfigurationException.class);
    }
}

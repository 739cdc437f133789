package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StackNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"hell-1a2b3c_ci_example_org", "a", "0_x-y"})
    void acceptsSwarmStackNames(String value) {
        assertThat(new StackName(value)).hasToString(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "_x", "-x", "Hello", "a.b", "a b"})
    void rejectsOthers(String value) {
        assertThatThrownBy(() -> new StackName(value))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'" + value + "' is not a stack name");
    }

    @org.junit.jupiter.api.Test
    void rejectsMoreThanTwoHundredCharacters() {
        assertThat(new StackName("a".repeat(200)).value()).hasSize(200);
        assertThatThrownBy(() -> new StackName("a".repeat(201))).isInstanceOf(RecipeConfigurationException.class);
    }
}

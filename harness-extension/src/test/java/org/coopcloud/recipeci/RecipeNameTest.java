package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecipeNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"hello", "a", "my-app2", "9", "plausible"})
    void acceptsLowercaseNamesWithDigitsAndInnerDashes(String name) {
        assertThat(new RecipeName(name).value()).isEqualTo(name);
        assertThat(new RecipeName(name)).hasToString(name);
    }

    @Test
    void acceptsSixtyThreeCharacters() {
        String name = "a".repeat(63);
        assertThat(new RecipeName(name).value()).hasSize(63);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hello", "-x", "x-", "a_b", "", "my app", "héllo"})
    void rejectsNamesBreakingTheRule(String name) {
        assertThatThrownBy(() -> new RecipeName(name))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'" + name + "' is not a valid recipe name")
                .hasMessageContaining("lowercase letters, digits and '-'")
                .hasMessageContaining("starting and ending with a letter or digit");
    }

    @Test
    void rejectsSixtyFourCharacters() {
        String name = "a".repeat(64);
        assertThatThrownBy(() -> new RecipeName(name))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining(name);
    }

    @Test
    void suggestsTheLowercasedNameForUppercase() {
        assertThatThrownBy(() -> new RecipeName("Hello")).hasMessageContaining("(e.g. 'hello')");
    }

    @Test
    void suggestsDashesForUnderscoresAndSpaces() {
        assertThatThrownBy(() -> new RecipeName("a_b")).hasMessageContaining("(e.g. 'a-b')");
        assertThatThrownBy(() -> new RecipeName("My App")).hasMessageContaining("(e.g. 'my-app')");
    }

    @Test
    void fallsBackToAnExampleWhenTheNameCannotBeRepaired() {
        assertThatThrownBy(() -> new RecipeName("-x")).hasMessageContaining("(e.g. 'plausible')");
        assertThatThrownBy(() -> new RecipeName("")).hasMessageContaining("(e.g. 'plausible')");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> new RecipeName(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void isAValueType() {
        assertThat(new RecipeName("hello")).isEqualTo(new RecipeName("hello")).isNotEqualTo(new RecipeName("hell"));
    }
}

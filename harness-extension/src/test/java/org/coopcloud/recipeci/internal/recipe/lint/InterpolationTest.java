package org.coopcloud.recipeci.internal.recipe.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compose's variable substitution, as docker applies it to compose values. */
class InterpolationTest {
    private static final Map<String, String> ENV = Map.of("SET", "v", "EMPTY", "", "STACK_NAME", "s");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "$SET|v",
                "${SET}|v",
                "${UNSET}|\"\"",
                "${UNSET:-d}|d",
                "${EMPTY:-d}|d",
                "${EMPTY-d}|\"\"",
                "${UNSET-d}|d",
                "${SET:+alt}|alt",
                "${EMPTY:+alt}|\"\"",
                "${EMPTY+alt}|alt",
                "${UNSET:?must be set}|\"\"",
                "$$SET|$SET",
                "${UNSET:-${SET}-x}|v-x",
                "traefik.http.routers.${STACK_NAME}.rule|traefik.http.routers.s.rule",
                "a $ b|a $ b",
                "${unclosed|${unclosed",
                "price: 5$|price: 5$"
            })
    void substitutes(String text, String expected) {
        assertThat(Interpolation.apply(text, ENV)).isEqualTo(expected);
    }
}

package org.coopcloud.recipeci.internal.recipe.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The keys and literal values lint reads from a {@code .env.sample}. */
class SampleEnvTest {
    @Test
    void readsKeysAndValues_droppingCommentsQuotesAndExport() {
        assertThat(
                        SampleEnv.parse(
                                """
                TYPE=bonfire
                # DOMAIN=commented.example.com
                export DOMAIN=bonfire.example.com
                COMPOSE_FILE="compose.yml"
                SECRET_X_VERSION=v1 # length=128
                PASS=abc#def
                SINGLE='a # b'
                   SPACED  =  x
                not a line
                """))
                .containsExactly(
                        java.util.Map.entry("TYPE", "bonfire"),
                        java.util.Map.entry("DOMAIN", "bonfire.example.com"),
                        java.util.Map.entry("COMPOSE_FILE", "compose.yml"),
                        java.util.Map.entry("SECRET_X_VERSION", "v1"),
                        java.util.Map.entry("PASS", "abc#def"),
                        java.util.Map.entry("SINGLE", "a # b"),
                        java.util.Map.entry("SPACED", "x"));
    }
}

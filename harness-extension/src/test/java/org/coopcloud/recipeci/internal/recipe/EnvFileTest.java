package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The godotenv vectors of the research note (docs/architecture.md, "Co-op Cloud semantics"): file text (⏎ for a
 * line break) and the map abra reads from it.
 */
class EnvFileTest {
    private static Map<String, String> read(String text) {
        return EnvFile.parse(text.replace("⏎", "\n"), ".env.sample").values();
    }

    @ParameterizedTest(name = "{0} → {1}={2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "A=1 # comment|A|1",
                "A=1# not comment|A|1# not comment",
                "A=a # b # c|A|a # b",
                "A=\"1 # x\" # y|A|1 # x",
                "A='1 # x'|A|1 # x",
                "export A=1|A|1",
                "exportA=1|exportA|1",
                "A=|A|``",
                "A=\"\"|A|``",
                "`A=  spaced  `|A|spaced",
                "A: yaml|A|yaml",
                "A=x⏎B=$A|B|x",
                "A=x⏎B=${A}|B|x",
                "A=x⏎B=\"${A}-y\"|B|x-y",
                "A=x⏎B='${A}'|B|${A}",
                "B=$A⏎A=x|B|``",
                "B=${A:-def}|B|:-def}",
                "A=x⏎B=${A:-def}|B|x:-def}",
                "B=$a|B|$a",
                "B=\"\\$A\"|B|$A",
                "A=x⏎B=\\$A|B|$A",
                "B='a\\nb'|B|a\\nb",
                "B=\"a\\tb\"|B|atb",
                "A=1⏎A=2|A|2",
                "COMPOSE_FILE=\"compose.yml\"⏎COMPOSE_FILE=\"$COMPOSE_FILE:compose.postgres.yml\"|COMPOSE_FILE"
                        + "|compose.yml:compose.postgres.yml",
                "COMPOSE_FILE=\"$COMPOSE_FILE:compose.postgres.yml\"|COMPOSE_FILE|:compose.postgres.yml",
                "OAUTH_ISSUER=https://${DOMAIN}⏎DOMAIN=x|OAUTH_ISSUER|https://",
                "SECRET_X_VERSION=v1 # length=128|SECRET_X_VERSION|v1",
                "PASS=abc#def|PASS|abc#def",
                "A=\"say \\\"hi\\\"\"|A|say \"hi\\",
                "`---⏎A=1`|A|1",
                "B=$(cmd)|B|$(cmd)",
                // godotenv's quirk, read in its source: an upper-case name after "$(" expands, the "(" is eaten.
                "A=x⏎B=$(A)|B|x)"
            })
    void readsAsAbraDoes(String text, String key, String expected) {
        assertThat(read(text)).containsEntry(key, expected);
    }

    @Test
    void aDoubleQuotedValueTurnsBackslashNIntoALineBreak_andMaySpanLines() {
        assertThat(read("B=\"a\\nb\"")).containsEntry("B", "a\nb");
        assertThat(read("A=\"multi⏎line\"⏎B=2")).containsExactly(entry("A", "multi\nline"), entry("B", "2"));
    }

    @Test
    void aLaterLineIsInvisibleToAnEarlierOne_andTheFileKeepsFirstAppearanceOrder() {
        assertThat(read("B=$A⏎A=x⏎B=again")).containsExactly(entry("B", "again"), entry("A", "x"));
    }

    @Test
    void theProcessEnvironmentIsNeverExpanded() {
        assertThat(System.getenv("PATH")).isNotBlank();
        assertThat(read("B=$PATH⏎C=\"${HOME}\"")).containsExactly(entry("B", ""), entry("C", ""));
    }

    @Test
    void crlfAndBlankLinesAndIndentedCommentsAreFine() {
        assertThat(read("A=1\r\n\r\n   # note\r\nB=\"2\"\r\n")).containsExactly(entry("A", "1"), entry("B", "2"));
    }

    @Test
    void aValueAfterTheEqualsSignThatStartsWithAHashIsTheValue() {
        // godotenv: the comment needs a blank before its '#', and the blanks after '=' are gone by then.
        assertThat(read("C= # only a comment")).containsEntry("C", "# only a comment");
    }

    @Test
    void afterAClosingQuoteTheLineMayHoldAnotherAssignment() {
        assertThat(read("A=\"x\" B=2")).containsExactly(entry("A", "x"), entry("B", "2"));
    }

    @Test
    void modifiersAreTheKeyValueWordsOfTheTrailingComment() {
        EnvFile env = EnvFile.parse(
                String.join(
                        "\n",
                        "SECRET_A_VERSION=v1 # length=128",
                        "SECRET_B_VERSION=v2 # length=64 generate=false",
                        "SECRET_C_VERSION=v1",
                        "SECRET_D_VERSION=\"v1\" # length=12",
                        "SECRET_E_VERSION=v1 # a note, no modifier",
                        "SECRET_F_VERSION=v1 # length=9",
                        "SECRET_F_VERSION=v2"),
                ".env.sample");

        assertThat(env.values())
                .containsEntry("SECRET_A_VERSION", "v1")
                .containsEntry("SECRET_B_VERSION", "v2")
                .containsEntry("SECRET_D_VERSION", "v1");
        assertThat(env.modifiers())
                .containsOnly(
                        entry("SECRET_A_VERSION", Map.of("length", "128")),
                        entry("SECRET_B_VERSION", Map.of("length", "64", "generate", "false")),
                        entry("SECRET_D_VERSION", Map.of("length", "12")));
    }

    @Test
    void aLineWithoutAnEqualsSignIsAnErrorNamingFileAndLine() {
        assertThatThrownBy(() -> read("TYPE=hello⏎# ok⏎FOO⏎"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining(".env.sample line 3 'FOO'")
                .hasMessageContaining("is not KEY=value")
                .hasMessageContaining("fix the recipe's env file");
        assertThatThrownBy(() -> read("A=1⏎FOO")).hasMessageContaining("line 2 'FOO'");
        assertThatThrownBy(() -> read("A-B=x")).hasMessageContaining("unexpected '-'");
    }

    @Test
    void anUnterminatedQuoteIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> read("A=1⏎B=\"open"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining(".env.sample line 2")
                .hasMessageContaining("unterminated");
    }

    @Test
    void theRealBonfireSampleShapeChainsItsOverlays() {
        String sample = String.join(
                "\n",
                "TYPE=bonfire",
                "DOMAIN=bonfire.example.com",
                "#EXTRA_DOMAINS=', `www.bonfire.example.com`'",
                "COMPOSE_FILE=\"compose.yml\"",
                "# ====",
                "COMPOSE_FILE=\"$COMPOSE_FILE:compose.postgres.yml\"",
                "#COMPOSE_FILE=\"$COMPOSE_FILE:compose.basicauth.yml\"",
                "SECRET_SECRET_KEY_BASE_VERSION=v1 # length=128",
                "export APP_ENTRYPOINT_VERSION=v4");

        EnvFile env = EnvFile.parse(sample, "bonfire/.env.sample");

        assertThat(env.values())
                .containsEntry("COMPOSE_FILE", "compose.yml:compose.postgres.yml")
                .containsEntry("APP_ENTRYPOINT_VERSION", "v4")
                .doesNotContainKey("EXTRA_DOMAINS");
        assertThat(env.modifiers()).containsEntry("SECRET_SECRET_KEY_BASE_VERSION", Map.of("length", "128"));
    }
}

package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppEnvTest {

    private static final String SAMPLE = String.join(
            "\n",
            "# Co-op Cloud sample",
            "TYPE=hello",
            "",
            "   ",
            "  # indented comment",
            "export DOMAIN=hello.example.com",
            "QUOTED=\"hello world\"",
            "SINGLE='it is # not a comment'",
            "GREETING=hi there # a trailing comment",
            "HASH_IN_VALUE=abc#def",
            "SPACED = value ",
            "EMPTY=",
            "SECRET_GREETING_KEY_VERSION=v1 # length=32",
            "SECRET_DB_PASSWORD_VERSION=v2",
            "#SECRET_DISABLED_VERSION=v9",
            "");

    @Test
    void parsesDotenvDialect() {
        AppEnv env = AppEnv.parse(SAMPLE, ".env.sample");
        assertThat(env.asMap())
                .containsExactly(
                        entry("TYPE", "hello"),
                        entry("DOMAIN", "hello.example.com"),
                        entry("QUOTED", "hello world"),
                        entry("SINGLE", "it is # not a comment"),
                        entry("GREETING", "hi there"),
                        entry("HASH_IN_VALUE", "abc#def"),
                        entry("SPACED", "value"),
                        entry("EMPTY", ""),
                        entry("SECRET_GREETING_KEY_VERSION", "v1"),
                        entry("SECRET_DB_PASSWORD_VERSION", "v2"));
    }

    @Test
    void toleratesCrlfLineEndings() {
        AppEnv env = AppEnv.parse("A=1\r\nB=\"2\"\r\n", "crlf");
        assertThat(env.asMap()).containsExactly(entry("A", "1"), entry("B", "2"));
    }

    @Test
    void laterAssignmentWins() {
        assertThat(AppEnv.parse("A=1\nA=2", "x").get("A")).contains("2");
    }

    @Test
    void badLineNamesOriginAndLineNumber() {
        assertThatThrownBy(() -> AppEnv.parse("TYPE=hello\n# ok\nthis is not an assignment\n", "recipes/hello/.env"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipes/hello/.env line 3")
                .hasMessageContaining("'this is not an assignment'");
    }

    @Test
    void keyIsLettersDigitsUnderscoresAndDots() {
        // abra's reader takes 1A and A.B as names; a dash it refuses.
        assertThat(AppEnv.parse("1A=x\nA.B=y", "f").asMap()).containsExactly(entry("1A", "x"), entry("A.B", "y"));
        assertThatThrownBy(() -> AppEnv.parse("A-B=x", "f"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("f line 1");
    }

    @Test
    void secretVersionsMapsLowercaseNameToVersion() {
        AppEnv env = AppEnv.parse(SAMPLE, ".env.sample");
        assertThat(env.secretVersions()).containsExactly(entry("greeting_key", "v1"), entry("db_password", "v2"));
    }

    @Test
    void secretVersionsIgnoresOtherKeys() {
        AppEnv env = AppEnv.parse("SECRET_X=1\nMY_SECRET_Y_VERSION=v1\nSECRET__VERSION=v1\nTYPE=x", "f");
        assertThat(env.secretVersions()).isEmpty();
    }

    @Test
    void withReturnsACopyAndLeavesTheOriginal() {
        AppEnv original = AppEnv.parse("TYPE=hello\nDOMAIN=old.example.org", "f");
        AppEnv changed = original.with("DOMAIN", "new.example.org").with("PORT", "8080");
        assertThat(original.asMap()).containsExactly(entry("TYPE", "hello"), entry("DOMAIN", "old.example.org"));
        assertThat(changed.asMap())
                .containsExactly(entry("TYPE", "hello"), entry("DOMAIN", "new.example.org"), entry("PORT", "8080"));
    }

    @Test
    void asMapIsReadOnly() {
        AppEnv env = AppEnv.parse("A=1", "f");
        assertThatThrownBy(() -> env.asMap().put("B", "2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void getIsEmptyForUnknownKey() {
        assertThat(AppEnv.parse("A=1", "f").get("B")).isEmpty();
    }

    @Test
    void quotedValuesMayCarryATrailingComment() {
        AppEnv env = AppEnv.parse("A=\"x\" # c\nB='x y' # c\nC=\nD=v1\t# tab comment", "x");
        assertThat(env.asMap()).containsExactly(entry("A", "x"), entry("B", "x y"), entry("C", ""), entry("D", "v1"));
    }

    @Test
    void anUnbalancedQuoteIsAConfigurationErrorNamingTheLine() {
        assertThatThrownBy(() -> AppEnv.parse("A=1\nB=\"open", ".env.sample"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining(".env.sample line 2")
                .hasMessageContaining("unterminated");
    }

    @Test
    void valuesThatNeedQuotesSurviveWriteThenRead(@TempDir Path dir) {
        AppEnv env = AppEnv.parse("A='a # b'\nB=\"  padded \"\nC='\"quoted\"'\nD=\"it's\"", "x");
        Path file = dir.resolve("app.env");

        env.write(file);

        assertThat(AppEnv.read(file).asMap())
                .containsExactly(
                        entry("A", "a # b"), entry("B", "  padded "), entry("C", "\"quoted\""), entry("D", "it's"));
    }

    @Test
    void writeThenReadRoundTrips(@TempDir Path dir) throws Exception {
        AppEnv env = AppEnv.parse(
                        String.join(
                                "\n",
                                "TYPE=hello",
                                "export DOMAIN=hello.example.com",
                                "QUOTED=\"hello world\"",
                                "HASH_IN_VALUE=abc#def",
                                "EMPTY=",
                                "COMPOSE_FILE=compose.yml:compose.extra.yml",
                                "SECRET_GREETING_KEY_VERSION=v1 # length=32"),
                        ".env.sample")
                .with("PORT", "34567");
        Path file = dir.resolve("servers/hell-1a2b3c.ci.example.org.env");

        env.write(file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith("# written by recipe-ci");
        AppEnv back = AppEnv.read(file);
        assertThat(back.asMap()).isEqualTo(env.asMap());
        assertThat(back.asMap().keySet()).containsExactlyElementsOf(env.asMap().keySet());
        assertThat(back.secretVersions()).isEqualTo(env.secretVersions());
    }

    @Test
    void valuesAbraWouldExpandOrCutSurviveWriteThenReadLiterally(@TempDir Path dir) {
        AppEnv env = AppEnv.parse("A=1", "x")
                .with("DOLLAR", "pa$$word${HOME}$A")
                .with("HASH", "a #b")
                .with("BACKSLASH", "C:\\dir\\")
                .with("SPACED_BACKSLASH", "a b\\c")
                .with("QUOTE_FIRST", "'x")
                .with("NBSP", "a\u00a0b")
                .with("MIXED", "it's $HOME \\ \"q\" #c")
                .with("LINES", "one\ntwo");
        Path file = dir.resolve("app.env");

        env.write(file);

        assertThat(AppEnv.read(file).asMap()).isEqualTo(env.asMap());
    }

    @Test
    void modifiersAreKeptAndWrittenBack(@TempDir Path dir) {
        AppEnv env = AppEnv.parse("SECRET_A_VERSION=v1 # length=128 generate=false\nSECRET_B_VERSION=v1", "x")
                .with("SECRET_A_VERSION", "v2");
        Path file = dir.resolve("app.env");

        env.write(file);

        AppEnv back = AppEnv.read(file);
        assertThat(back.get("SECRET_A_VERSION")).contains("v2");
        assertThat(back.modifiers("SECRET_A_VERSION"))
                .containsExactly(entry("length", "128"), entry("generate", "false"));
        assertThat(back.modifiers("SECRET_B_VERSION")).isEmpty();
    }

    @Test
    void anAppsValuesAndTheirModifiersStayOverANewSample() {
        AppEnv sample =
                AppEnv.parse("SECRET_A_VERSION=v2 # length=64\nSECRET_NEW_VERSION=v1 # length=16\nX=sample", "s");
        AppEnv app = AppEnv.parse("SECRET_A_VERSION=v1 # length=128\nX=app", "a");

        AppEnv merged = sample.overriddenBy(app);

        assertThat(merged.asMap())
                .containsExactly(entry("SECRET_A_VERSION", "v1"), entry("SECRET_NEW_VERSION", "v1"), entry("X", "app"));
        assertThat(merged.modifiers("SECRET_A_VERSION")).containsExactly(entry("length", "128"));
        assertThat(merged.modifiers("SECRET_NEW_VERSION")).containsExactly(entry("length", "16"));
    }

    @Test
    void aValueTheFormatCannotKeepIsRefused() {
        assertThatThrownBy(() -> AppEnv.quoted("it's \"x\""))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("cannot keep it");
        assertThatThrownBy(() -> AppEnv.quoted("it's a\\"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("cannot keep it");
    }

    @Test
    void readOfMissingFileIsAConfigurationError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.env");
        assertThatThrownBy(() -> AppEnv.read(missing))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("cannot read env file " + missing);
    }

    @Test
    void readReportsTheFileAsOrigin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".env.sample");
        Files.writeString(file, "A=1\n\nnot valid\n");
        assertThatThrownBy(() -> AppEnv.read(file)).hasMessageContaining(file + " line 3");
    }
}

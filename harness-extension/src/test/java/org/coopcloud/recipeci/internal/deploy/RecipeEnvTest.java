package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** abra's env semantics on a recipe checkout in a temp dir: the sample, the COMPOSE_FILE chain, abra.sh, secrets. */
class RecipeEnvTest {
    private static final AppDomain DOMAIN = new AppDomain("envt-1a2b3c.ci.example.org");
    private static final StackName STACK = DOMAIN.stackName();

    @TempDir
    Path dir;

    private Path tree;
    private RecipeSource source;

    @BeforeEach
    void aRecipe() throws Exception {
        tree = Files.createDirectories(dir.resolve("run/recipes/envt"));
        Files.writeString(tree.resolve("compose.yml"), "version: \"3.8\"\n");
        Files.writeString(tree.resolve("compose.postgres.yml"), "version: \"3.8\"\n");
        source = new RecipeSource(
                new RecipeName("envt"),
                tree,
                "HEAD",
                Optional.empty(),
                "0123456789abcdef",
                Optional.empty(),
                Optional.empty(),
                List.of());
    }

    private void sample(String... lines) throws Exception {
        Files.writeString(tree.resolve(".env.sample"), String.join("\n", lines) + "\n");
    }

    private AppEnv env() {
        return RecipeEnv.fromSample(source, DOMAIN);
    }

    @Test
    void anEnvSampleThatIsALinkOutOfTheCheckoutIsRefusedNotRead() throws Exception {
        Path outside = Files.writeString(dir.resolve("host-file"), "TYPE=envt\nHOST_SECRET=do-not-read\n");
        Files.createSymbolicLink(tree.resolve(".env.sample"), outside);

        assertThatThrownBy(this::env)
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining(".env.sample is a symbolic link")
                .hasMessageNotContaining("do-not-read");
    }

    @Test
    void theSampleIsTheAppsEnvWithTheExampleDomainReplacedAsAbraAppNewDoes() throws Exception {
        sample(
                "TYPE=envt",
                "DOMAIN=envt.example.com",
                "OAUTH_ISSUER=https://${DOMAIN}/oauth",
                "#EXTRA_DOMAINS=', `www.envt.example.com`'",
                "COMPOSE_FILE=\"compose.yml\"",
                "COMPOSE_FILE=\"$COMPOSE_FILE:compose.postgres.yml\"");

        AppEnv env = env();

        assertThat(env.asMap())
                .containsEntry("DOMAIN", DOMAIN.value())
                .containsEntry("OAUTH_ISSUER", "https://" + DOMAIN + "/oauth")
                .containsEntry("COMPOSE_FILE", "compose.yml:compose.postgres.yml")
                .containsEntry("TYPE", "envt");
        assertThat(RecipeEnv.composeFiles(source, env)).containsExactly("compose.yml", "compose.postgres.yml");
    }

    @Test
    void withoutCOMPOSE_FILEtheChainIsComposeYml() throws Exception {
        sample("TYPE=envt");
        assertThat(RecipeEnv.composeFiles(source, env())).containsExactly("compose.yml");
    }

    @Test
    void aComposeFileOutsideTheCheckoutIsRefusedBeforeAnythingIsCreated() throws Exception {
        sample("COMPOSE_FILE=compose.yml:../../../../etc/hostname");

        assertThatThrownBy(() -> RecipeEnv.check(source, DOMAIN))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining(
                        "COMPOSE_FILE names '../../../../etc/hostname', which is outside the recipe's" + " checkout")
                .hasMessageContaining("nothing was created");
    }

    @Test
    void anAbsoluteComposeFileOrALinkOutOfTheCheckoutIsRefusedToo() throws Exception {
        Files.writeString(dir.resolve("outside.yml"), "version: \"3.8\"\n");
        Files.createSymbolicLink(tree.resolve("compose.link.yml"), dir.resolve("outside.yml"));

        for (String chain : List.of(
                "compose.yml:" + dir.resolve("outside.yml"), "compose.yml:compose.link.yml", "sub/../../outside.yml")) {
            AppEnv env = AppEnv.parse("COMPOSE_FILE=" + chain, "x");
            assertThatThrownBy(() -> RecipeEnv.composeFiles(source, env))
                    .as(chain)
                    .isInstanceOf(RecipeConfigurationException.class)
                    .hasMessageContaining("outside the recipe's checkout");
        }
    }

    @Test
    void aChainOnItsFirstLineLeavesAnEmptyEntry_whichIsRefusedWithTheFix() throws Exception {
        sample("COMPOSE_FILE=\"$COMPOSE_FILE:compose.postgres.yml\"");

        assertThatThrownBy(() -> RecipeEnv.composeFiles(source, env()))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("COMPOSE_FILE ':compose.postgres.yml' has an empty entry")
                .hasMessageContaining("COMPOSE_FILE=\"compose.yml\" on an earlier line");
    }

    @Test
    void aMissingComposeFileIsNamed() throws Exception {
        sample("COMPOSE_FILE=compose.yml:compose.nope.yml");
        assertThatThrownBy(() -> RecipeEnv.composeFiles(source, env())).hasMessageContaining("has no compose.nope.yml");
    }

    @Test
    void abraShExportsOverrideTheEnvInTheDeployEnv_andTheStackNameIsTheHarnesss() throws Exception {
        sample("APP_ENTRYPOINT_VERSION=v3", "LOG_LEVEL=info");
        Files.writeString(
                tree.resolve("abra.sh"),
                "export APP_ENTRYPOINT_VERSION=v4\nexport PG_BACKUP_VERSION=v6\nexport STACK_NAME=evil\n");

        Map<String, String> vars = RecipeEnv.deployEnv(source, env(), STACK);

        assertThat(vars)
                .contains(
                        entry("APP_ENTRYPOINT_VERSION", "v4"),
                        entry("PG_BACKUP_VERSION", "v6"),
                        entry("LOG_LEVEL", "info"),
                        entry("STACK_NAME", STACK.value()));
    }

    @Test
    void secretsHaveTheirDeclaredLength_or32() throws Exception {
        sample(
                "SECRET_SECRET_KEY_BASE_VERSION=v1 # length=128",
                "SECRET_SEEDS_PW_VERSION=v1",
                "SECRET_PIN_VERSION=v2 # length=12 charset=ignored");

        List<AppSecret> secrets = RecipeEnv.secrets(source, env(), STACK);

        assertThat(secrets)
                .extracting(AppSecret::name, AppSecret::remoteName, AppSecret::generatedLength)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("secret_key_base", STACK + "_secret_key_base_v1", 128),
                        org.assertj.core.groups.Tuple.tuple("seeds_pw", STACK + "_seeds_pw_v1", 32),
                        org.assertj.core.groups.Tuple.tuple("pin", STACK + "_pin_v2", 12));
        assertThat(secrets.get(1).length()).isEqualTo(OptionalInt.empty());
    }

    @Test
    void aSecretVersionFromAbraShNamesTheSecret() throws Exception {
        sample("SECRET_DB_PASSWORD_VERSION=v1 # length=40");
        Files.writeString(tree.resolve("abra.sh"), "export SECRET_DB_PASSWORD_VERSION=v2\n");

        assertThat(RecipeEnv.secrets(source, env(), STACK)).singleElement().satisfies(s -> {
            assertThat(s.remoteName()).isEqualTo(STACK + "_db_password_v2");
            assertThat(s.generatedLength()).isEqualTo(40);
        });
    }

    @Test
    void aSecretLeftToTheOperatorIsAConfigurationErrorSayingWhichAndHow() throws Exception {
        sample("SECRET_SMTP_PASSWORD_VERSION=v1 # generate=false", "SECRET_OTHER_VERSION=v1");

        assertThatThrownBy(() -> RecipeEnv.check(source, DOMAIN))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("leaves secret 'smtp_password' to the operator")
                .hasMessageContaining("SECRET_SMTP_PASSWORD_VERSION=v1 # generate=false")
                .hasMessageContaining("abra app secret insert <domain> smtp_password v1 <value>")
                .hasMessageContaining("nothing was created")
                .hasMessageContaining("drop generate=false");
    }

    @Test
    void generateTakesGosBooleans() throws Exception {
        sample("SECRET_A_VERSION=v1 # generate=T", "SECRET_B_VERSION=v1 # generate=1");
        assertThat(RecipeEnv.secrets(source, env(), STACK)).allMatch(AppSecret::generate);

        sample("SECRET_A_VERSION=v1 # generate=no");
        assertThatThrownBy(() -> RecipeEnv.check(source, DOMAIN)).hasMessageContaining("generate=no");
    }

    @Test
    void aLengthThatIsNoLengthIsRefused() throws Exception {
        for (String length : List.of("0", "-1", "abc", "1e3", "999999999999")) {
            sample("SECRET_A_VERSION=v1 # length=" + length);
            assertThatThrownBy(() -> RecipeEnv.check(source, DOMAIN))
                    .as(length)
                    .isInstanceOf(RecipeConfigurationException.class)
                    .hasMessageContaining("secret 'a' has length=" + length)
                    .hasMessageContaining("e.g. length=64");
        }
    }

    @Test
    void aSecretNameLongerThanSwarmAllowsIsRefusedBeforeAnythingIsCreated() throws Exception {
        sample("SECRET_LIVEBOOK_PASSWORD_VERSION=v1");
        // 44 characters of stack + "_livebook_password_v1" = 65 (the research note's vector).
        AppDomain longDomain = new AppDomain("envt-1a2b3c.a-rather-long-suffix.example.org");
        assertThat(longDomain.stackName().value()).hasSize(44);

        assertThatThrownBy(() -> RecipeEnv.check(source, longDomain))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("(65 characters), longer than swarm's limit of 64")
                .hasMessageContaining("nothing was created");
        assertThat(RecipeEnv.secrets(source, RecipeEnv.fromSample(source, DOMAIN), STACK))
                .singleElement()
                .satisfies(s -> assertThat(s.remoteName()).hasSizeLessThanOrEqualTo(AppSecret.MAX_NAME));
    }

    @Test
    void anEmptyVersionIsRefusedAsAbraDoes() throws Exception {
        sample("SECRET_USERSFILE_VERSION=");
        assertThatThrownBy(() -> RecipeEnv.check(source, DOMAIN))
                .hasMessageContaining("secret 'usersfile' has no version")
                .hasMessageContaining("SECRET_USERSFILE_VERSION=v1");
    }

    @Test
    void anUpgradeKeepsTheAppsValuesAndModifiers_andBringsTheNewSecrets() throws Exception {
        sample("SECRET_A_VERSION=v1 # length=16");
        AppEnv before = env().with("CHOSEN", "by the app");
        AppInstance app =
                new AppInstance(source.recipe(), DOMAIN, dir.resolve("app.env"), before, List.of(STACK + "_a_v1"));
        sample("SECRET_A_VERSION=v1 # length=16", "SECRET_B_VERSION=v1 # length=20");

        AppEnv after = RecipeEnv.upgraded(app, source, Map.of("EXTRA", "x"));

        assertThat(after.asMap()).containsEntry("CHOSEN", "by the app").containsEntry("EXTRA", "x");
        assertThat(RecipeEnv.secrets(source, after, STACK))
                .extracting(AppSecret::remoteName, AppSecret::generatedLength)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(STACK + "_a_v1", 16),
                        org.assertj.core.groups.Tuple.tuple(STACK + "_b_v1", 20));
    }
}

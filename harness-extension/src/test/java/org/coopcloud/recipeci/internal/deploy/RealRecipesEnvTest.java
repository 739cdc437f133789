package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.testsupport.RealRecipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two real recipes of {@code shared/real-recipes}, unmodified, at their latest release: what recipe-ci reads from
 * their files matches what abra reads (the expected values of the research note's Part B). Skips when the bundles
 * are absent. {@code docker stack config} accepting them is {@code RealRecipesStackConfigIT}.
 */
class RealRecipesEnvTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path home;

    private RecipeSource latestRelease(String recipe) throws Exception {
        return RealRecipes.latestRelease(recipe, home);
    }

    @Test
    void bonfiresReleasesAreItsThreeTagsInOrder() throws Exception {
        RecipeSource bonfire = latestRelease("bonfire");

        assertThat(bonfire.released())
                .extracting(Version::value)
                .containsExactly("1.0.0+1.0.5-social-amd64", "2.0.0+1.0.5-social-amd64", "2.0.1+1.0.6-social-amd64");
        assertThat(bonfire.exactVersion()).contains(new Version("2.0.1+1.0.6-social-amd64"));
    }

    @Test
    void bonfiresSampleReadsAsAbraReadsIt_andItsChainExpands() throws Exception {
        RecipeSource bonfire = latestRelease("bonfire");

        AppEnv sample = RecipeEnv.sample(bonfire);

        assertThat(sample.asMap())
                .containsExactly(
                        entry("TYPE", "bonfire"),
                        entry("LETS_ENCRYPT_ENV", "production"),
                        entry("DOMAIN", "bonfire.example.com"),
                        entry("ENABLE_BACKUPS", "true"),
                        entry("COMPOSE_FILE", "compose.yml:compose.postgres.yml"),
                        entry("SECRET_POSTGRES_PASSWORD_VERSION", "v1"),
                        entry("DB_MEMORY_LIMIT", "1024"),
                        entry("DB_MIGRATE_INDEXES_CONCURRENTLY", "false"),
                        entry("UPLOAD_LIMIT", "20000000"),
                        entry("LOG_LEVEL", "info"),
                        entry("SECRET_SEEDS_PW_VERSION", "v1"),
                        entry("SECRET_LIVEBOOK_PASSWORD_VERSION", "v1"),
                        entry("SECRET_SECRET_KEY_BASE_VERSION", "v1"),
                        entry("SECRET_SIGNING_SALT_VERSION", "v1"),
                        entry("SECRET_ENCRYPTION_SALT_VERSION", "v1"),
                        entry("SECRET_RELEASE_COOKIE_VERSION", "v1"));
        assertThat(RecipeEnv.composeFiles(bonfire, sample)).containsExactly("compose.yml", "compose.postgres.yml");
    }

    @Test
    void bonfiresConfigNamesCarryAbraShsVersions() throws Exception {
        RecipeSource bonfire = latestRelease("bonfire");
        AppDomain domain = new AppDomain("bonf-1a2b3c.ci.commoninternet.net");
        StackName stack = domain.stackName();

        Map<String, String> vars = RecipeEnv.deployEnv(bonfire, RecipeEnv.fromSample(bonfire, domain), stack);

        assertThat(RecipeEnv.abraShExports(bonfire))
                .containsExactly(
                        entry("APP_ENTRYPOINT_VERSION", "v4"),
                        entry("PG_BACKUP_VERSION", "v6"),
                        entry("MEILI_BACKUP_VERSION", "v4"),
                        entry("SONIC_CFG_VERSION", "v1"),
                        entry("SONIC_ENTRYPOINT_VERSION", "v1"));
        assertThat(configNames(bonfire, vars))
                .containsExactly(
                        entry("app_entrypoint", stack + "_app_entrypoint_v4"),
                        entry("pg_backup", stack + "_pg_backup_v6"));
    }

    @Test
    void everyBonfireSecretGetsItsDeclaredLength() throws Exception {
        RecipeSource bonfire = latestRelease("bonfire");
        AppDomain domain = new AppDomain("bonf-1a2b3c.ci.commoninternet.net");
        StackName stack = domain.stackName();

        List<AppSecret> secrets = RecipeEnv.secrets(bonfire, RecipeEnv.fromSample(bonfire, domain), stack);

        assertThat(secrets)
                .extracting(AppSecret::remoteName, AppSecret::generatedLength)
                .containsExactlyInAnyOrder(
                        tuple(stack + "_postgres_password_v1", AppSecret.DEFAULT_LENGTH),
                        tuple(stack + "_seeds_pw_v1", AppSecret.DEFAULT_LENGTH),
                        tuple(stack + "_livebook_password_v1", AppSecret.DEFAULT_LENGTH),
                        tuple(stack + "_secret_key_base_v1", 128),
                        tuple(stack + "_signing_salt_v1", 128),
                        tuple(stack + "_encryption_salt_v1", 128),
                        tuple(stack + "_release_cookie_v1", AppSecret.DEFAULT_LENGTH));
        assertThat(secrets).allMatch(AppSecret::generate);
        RecipeEnv.check(bonfire, domain);
    }

    @Test
    void traefiksVTagIsItsRelease_itsSampleHasNoChain_andItsAbraShNamesItsConfigs() throws Exception {
        RecipeSource traefik = latestRelease("traefik");
        AppDomain domain = new AppDomain("trae-1a2b3c.ci.commoninternet.net");
        StackName stack = domain.stackName();

        assertThat(traefik.exactVersion()).contains(new Version("v2.4.8"));
        AppEnv env = RecipeEnv.fromSample(traefik, domain);
        assertThat(RecipeEnv.composeFiles(traefik, env)).containsExactly("compose.yml");
        assertThat(env.asMap())
                .contains(
                        entry("TYPE", "traefik"),
                        entry("DOMAIN", domain.value()),
                        entry("LETS_ENCRYPT_EMAIL", "certs@example.com"),
                        entry("LOG_LEVEL", "WARN"));
        assertThat(RecipeEnv.secrets(traefik, env, stack)).isEmpty();
        assertThat(configNames(traefik, RecipeEnv.deployEnv(traefik, env, stack)))
                .containsExactly(
                        entry("traefik_yml", stack + "_traefik_yml_v8"),
                        entry("file_provider_yml", stack + "_file_provider_yml_v2"));
    }

    /**
     * The config names of the recipe's compose files, interpolated here for the two forms their names use
     * ({@code ${A}}, {@code ${A:-default}}); docker's own interpolation is checked by the IT.
     */
    private static Map<String, String> configNames(RecipeSource source, Map<String, String> vars) throws Exception {
        Map<String, String> names = new LinkedHashMap<>();
        for (String file : RecipeEnv.composeFiles(source, RecipeEnv.sample(source))) {
            JsonNode configs = YAML.readTree(Files.readString(source.workTree().resolve(file)))
                    .path("configs");
            configs.fields()
                    .forEachRemaining(e -> names.put(
                            e.getKey(), interpolate(e.getValue().path("name").asText(), vars)));
        }
        return names;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::-([^}]*))?}");

    private static String interpolate(String text, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            String replacement = value != null && !value.isEmpty()
                    ? value
                    : Optional.ofNullable(m.group(2)).orElse("");
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }
}

package org.coopcloud.recipeci.internal.deploy.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.AppEnv;
import org.coopcloud.recipeci.internal.deploy.RecipeEnv;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.testsupport.RealRecipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real recipes, unmodified, at their latest release: the swarm driver's checks before anything is created pass
 * (docker stack config accepts bonfire's anchors, merge keys, golang templates and $$ escapes with the env recipe-ci
 * builds), and docker names every config and secret with abra.sh's versions. Nothing is created on the swarm. Skips
 * when the bundles are absent.
 */
class RealRecipesStackConfigIT {
    @TempDir
    Path home;

    private final CommandRunner runner = new CommandRunner();

    private RecipeSource latestRelease(String recipe) throws Exception {
        return RealRecipes.latestRelease(recipe, home);
    }

    /** What docker makes of the recipe's files with the env recipe-ci deploys it with. */
    private StackConfig stackConfig(RecipeSource source, AppDomain domain) {
        AppEnv env = RecipeEnv.fromSample(source, domain);
        List<String> argv = new ArrayList<>(List.of("docker", "stack", "config"));
        RecipeEnv.composeFiles(source, env).forEach(f -> argv.addAll(List.of("-c", f)));
        CommandResult config = runner.run(Command.of(argv)
                        .withWorkDir(source.workTree())
                        .withEnv(RecipeEnv.deployEnv(source, env, domain.stackName()))
                        .withTimeout(Duration.ofSeconds(30)))
                .orThrow();
        return StackConfig.parse(config.stdout(), "recipe '" + source.recipe() + "'");
    }

    @Test
    void bonfireIsAcceptedAndItsConfigsAndSecretsAreNamedAsAbraNamesThem() throws Exception {
        RecipeSource bonfire = latestRelease("bonfire");
        AppDomain domain = new AppDomain("bonf-1a2b3c.real-it.recipe-ci.test");
        StackName s = domain.stackName();
        SwarmDriver driver = new SwarmDriver(runner, RunLog.consoleOnly(), home.resolve("servers/local"));

        driver.validate(bonfire, domain);

        StackConfig config = stackConfig(bonfire, domain);
        assertThat(config.configs(s))
                .isEqualTo(Map.of("app_entrypoint", s + "_app_entrypoint_v4", "pg_backup", s + "_pg_backup_v6"));
        assertThat(config.secrets(s).values())
                .containsExactlyInAnyOrder(
                        s + "_secret_key_base_v1",
                        s + "_signing_salt_v1",
                        s + "_encryption_salt_v1",
                        s + "_seeds_pw_v1",
                        s + "_livebook_password_v1",
                        s + "_release_cookie_v1",
                        s + "_postgres_password_v1");
        assertThat(config.secrets(s).values())
                .as("the secrets the swarm driver creates are the ones the stack names")
                .containsExactlyInAnyOrderElementsOf(
                        RecipeEnv.secrets(bonfire, RecipeEnv.fromSample(bonfire, domain), s).stream()
                                .map(secret -> secret.remoteName())
                                .toList());
        assertThat(driver.view().leftovers(domain)).isEmpty();
    }

    @Test
    void traefikAtItsVTagIsAcceptedWithItsVendoredConfigVersions() throws Exception {
        RecipeSource traefik = latestRelease("traefik");
        AppDomain domain = new AppDomain("trae-1a2b3c.real-it.recipe-ci.test");
        StackName s = domain.stackName();
        SwarmDriver refusing = new SwarmDriver(runner, RunLog.consoleOnly(), home.resolve("servers/local"));
        // The proxy recipe mounts the docker socket: the whole host, refused unless the operator allows it.
        assertThatThrownBy(() -> refusing.validate(traefik, domain))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("bind-mounts /var/run/docker.sock from the host")
                .hasMessageContaining("recipeci.host-mounts=/var/run/docker.sock");
        SwarmDriver driver = new SwarmDriver(
                runner,
                RunLog.consoleOnly(),
                home.resolve("servers/local"),
                FrontDoorSettings.defaults(),
                Optional.empty(),
                List.of(Path.of("/var/run/docker.sock")));

        driver.validate(traefik, domain);

        assertThat(stackConfig(traefik, domain).configs(s))
                .isEqualTo(
                        Map.of("traefik_yml", s + "_traefik_yml_v8", "file_provider_yml", s + "_file_provider_yml_v2"));
        assertThat(driver.view().leftovers(domain)).isEmpty();
    }
}

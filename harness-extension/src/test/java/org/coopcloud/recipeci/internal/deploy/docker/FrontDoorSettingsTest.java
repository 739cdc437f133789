package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.config.DriverSettings;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings.Mode;
import org.junit.jupiter.api.Test;

class FrontDoorSettingsTest {
    private static RunConfig config(Map<ConfigKey, String> options) {
        return RunConfig.of(
                        new RecipeName("hello"),
                        RunPaths.under(Path.of("/tmp/home")).withLockDir(Path.of("/run/x")))
                .withRunId(new RunId("build-7"))
                .withDriver(new DriverSettings("swarm", options));
    }

    @Test
    void theBridgeIsTheDefault_withEdgesNextToTheAppLocks() {
        FrontDoorSettings settings = FrontDoorSettings.of(config(Map.of()));

        assertThat(settings.mode()).isEqualTo(Mode.BRIDGE);
        assertThat(settings.edgeBase()).isEqualTo(Path.of("/run/x/recipe-ci-edge"));
        assertThat(settings.owner())
                .isEqualTo("build-7-" + ProcessHandle.current().pid());
    }

    @Test
    void traefikSendsTrafficByDomain() {
        assertThat(FrontDoorSettings.of(config(Map.of(ConfigKey.FRONT_DOOR, "Traefik")))
                        .mode())
                .isEqualTo(Mode.TRAEFIK);
        assertThat(FrontDoorSettings.mode(Optional.of(" bridge "))).isEqualTo(Mode.BRIDGE);
    }

    @Test
    void anythingElseIsAConfigurationErrorNamingTheKeyAndTheValues() {
        assertThatThrownBy(() -> FrontDoorSettings.of(config(Map.of(ConfigKey.FRONT_DOOR, "nginx"))))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.front-door 'nginx'")
                .hasMessageContaining("bridge")
                .hasMessageContaining("traefik");
    }
}

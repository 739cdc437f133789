package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.internal.config.DriverSettings;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.Test;

class DeployDriversTest {
    private static DeployDriver forDriver(String name) {
        RunConfig config = RunConfig.of(new RecipeName("hello"), RunPaths.under(Path.of("/tmp/recipe-ci-factory-test")))
                .withRunId(new RunId("f1"))
                .withDriver(DriverSettings.named(name));
        return DeployDrivers.create(
                new DriverContext(config, new CommandRunner(), RunLog.consoleOnly(), new RunSecrets()));
    }

    @Test
    void bothRealDriversAreThereByName() {
        assertThat(forDriver("swarm").name()).isEqualTo("swarm");
        assertThat(forDriver("abra").name()).isEqualTo("abra");
    }

    @Test
    void anUnknownDriverIsAConfigurationErrorThatNamesTheKnownOnes() {
        assertThatThrownBy(() -> forDriver("k8s"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.driver 'k8s' is unknown")
                .hasMessageContaining("swarm")
                .hasMessageContaining("abra");
    }
}

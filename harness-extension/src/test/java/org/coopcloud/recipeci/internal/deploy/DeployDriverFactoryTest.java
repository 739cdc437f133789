package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.junit.jupiter.api.Test;

class DeployDriverFactoryTest {
    private static DeployDriver forDriver(String name) {
        RunConfig config = new RunConfig(
                new RecipeName("hello"),
                Optional.empty(),
                Optional.empty(),
                EnumSet.allOf(Stage.class),
                new RunId("f1"),
                Path.of("/tmp/recipe-ci-factory-test/runs"),
                Path.of("/tmp/recipe-ci-factory-test"),
                Path.of("/tmp/recipe-ci-factory-test/locks"),
                RunConfig.DEFAULT_DOMAIN_SUFFIX,
                "0",
                name,
                false,
                Duration.ofMinutes(60));
        return DeployDriverFactory.forRun(config, new CommandRunner(), RunLog.consoleOnly());
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

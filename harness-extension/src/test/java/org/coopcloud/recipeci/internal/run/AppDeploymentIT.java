package org.coopcloud.recipeci.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.ReadyProbe;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.internal.config.DriverSettings;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One app's deployment with the recording driver and a real app lock: the deadlines its waits get. The app's
 * readiness is a flag the test sets.
 */
class AppDeploymentIT {
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path home;

    private final AtomicBoolean ready = new AtomicBoolean(true);
    private RunSetup setup;
    private AppDeployment deployment;

    @BeforeEach
    void installTheApp() throws Exception {
        FakeDriver.reset(0);
        RunConfig config = RunConfig.of(
                        new RecipeName("fake-recipe"),
                        RunPaths.under(home).withLockDir(Files.createDirectories(home.resolve("locks"))))
                .withDriver(DriverSettings.named("fake"));
        setup = RunSetup.prepare(config, new RunSecrets(), Map.of(), Optional.empty(), System.out);
        RecipeProfile profile = new RecipeProfile() {
            @Override
            public String recipe() {
                return "fake-recipe";
            }

            @Override
            public Duration deployTimeout() {
                return DEPLOY_TIMEOUT;
            }

            @Override
            public ReadyProbe readyProbe() {
                return ReadyProbe.of("the test says ready", app -> ready.get());
            }
        };
        deployment =
                new AppDeployment(new AppDomain("fake-0a1b2c.ci.example.org"), profile, setup, new DeployCounter(0));
        deployment.lock();
        deployment.install(new RecipeSource(
                new RecipeName("fake-recipe"),
                home.resolve("tree"),
                "HEAD",
                Optional.empty(),
                "0123456789abcdef",
                Optional.empty(),
                Optional.empty(),
                List.of()));
    }

    @AfterEach
    void tearDown() {
        deployment.tearDown();
        setup.close();
    }

    @Test
    void restoringAndBecomingReadyShareOneDeployDeadline() {
        FakeDriver.restoreTakes = Duration.ofMillis(1500);
        ready.set(false);

        assertThatThrownBy(() -> deployment.restore(new Snapshot("snapshot-1", home, List.of())))
                .isInstanceOf(NamedWait.TimeoutException.class)
                .as("2 s deadline, 1.5 s of it spent restoring: the wait gets what is left (at least a second)")
                .hasMessageContaining("timed out after 1000 ms");
        assertThat(FakeDriver.EVENTS).contains("restore snapshot-1");
    }
}

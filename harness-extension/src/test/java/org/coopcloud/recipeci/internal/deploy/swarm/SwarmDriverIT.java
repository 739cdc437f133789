package org.coopcloud.recipeci.internal.deploy.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.lifecycle.AppDomains;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swarm driver's failure paths against the real local swarm and the demo recipe {@code hello} (needs
 * `scripts/local-swarm up`); what every driver must do is in {@link SwarmDriverContractIT}.
 */
class SwarmDriverIT {
    private static final RecipeName HELLO = new RecipeName("hello");
    private static final Path HOME = Optional.ofNullable(System.getenv("RECIPECI_HOME"))
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), ".recipe-ci"));

    private final CommandRunner runner = new CommandRunner();
    private final GeneratedSecrets secrets = new GeneratedSecrets();

    @TempDir
    Path tmp;

    private SwarmDriver driver;
    private AppDomain domain;

    @BeforeEach
    void setUp() {
        driver = new SwarmDriver(runner, RunLog.consoleOnly(), tmp.resolve("servers"));
        driver.checkEnvironment();
        domain = AppDomains.forRun(HELLO, "it", UUID.randomUUID().toString(), "it.recipe-ci.test");
    }

    @AfterEach
    void nothingLeft() {
        assertThat(driver.teardown(domain)).as("residuals of " + domain).isEmpty();
    }

    @Test
    void aServiceThatCannotStartFailsFastWithTheTaskErrorAndItsLogs() {
        RecipeSource source = checkout(Optional.empty(), Optional.of("broken-start"));
        AppInstance app = driver.create(source, domain, java.util.Map.of(), secrets);
        long started = System.nanoTime();

        assertThatThrownBy(() -> driver.deploy(app, source, Duration.ofMinutes(3)))
                .isInstanceOf(DeployFailedException.class)
                .hasMessageContaining("non-zero exit")
                .hasMessageContaining("hello-daemon");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("fail fast, not at the 3 minute limit")
                .isLessThan(Duration.ofSeconds(90));
    }

    @Test
    void aComposeFileThatDoesNotParseIsAConfigurationErrorBeforeAnythingIsCreated() {
        RecipeSource source = checkout(Optional.empty(), Optional.of("broken-compose"));

        assertThatThrownBy(() -> driver.validate(source, domain))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("do not parse")
                .hasMessageContaining("compose.yml");
        assertThat(tmp.resolve("servers")).doesNotExist();
    }

    @Test
    void tearingDownAnAppThatDoesNotExistIsCleanAndQuiet() {
        assertThat(driver.teardown(domain)).isEmpty();
    }

    private RecipeSource checkout(Optional<Version> version, Optional<String> ref) {
        RunConfig config = new RunConfig(
                HELLO,
                version,
                ref,
                EnumSet.allOf(Stage.class),
                new RunId("it"),
                tmp.resolve("runs"),
                HOME,
                tmp.resolve("locks"),
                "it.recipe-ci.test",
                "0",
                "swarm",
                false,
                Duration.ofMinutes(60));
        return new RecipeCatalogue(HOME, runner).checkout(config, tmp.resolve("recipe"));
    }
}

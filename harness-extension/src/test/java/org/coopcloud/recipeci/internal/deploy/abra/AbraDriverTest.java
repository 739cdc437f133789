package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverFactory;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the abra driver checks before any abra call, and how a run gets one; no docker needed. */
class AbraDriverTest {
    @TempDir
    Path tmp;

    private AbraDriver driver(Map<String, String> env, String... servers) throws Exception {
        Files.createDirectories(tmp.resolve("home/servers"));
        for (String server : servers) {
            Files.createDirectories(tmp.resolve("home/servers").resolve(server));
        }
        return new AbraDriver(
                new AbraDir(tmp.resolve("run/abra"), tmp.resolve("home"), Optional.empty()),
                new CommandRunner(),
                RunLog.consoleOnly(),
                env);
    }

    @Test
    void withoutAbraOnThePathTheCheckSaysHowToGetIt() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(
                        () -> driver(Map.of("PATH", empty.toString()), "local").checkEnvironment())
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("needs the abra CLI on PATH")
                .hasMessageContaining("install abra")
                .hasMessageContaining("-Ddriver=swarm");
    }

    @Test
    void withAbraButNoServerTheCheckSaysSoBeforeAnyAbraCall() throws Exception {
        FakeAbra fake = FakeAbra.install(tmp.resolve("fake"));
        assertThatThrownBy(() -> driver(fake.env()).checkEnvironment())
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("needs a server");
        assertThat(fake.calls()).isEmpty();
        assertThat(tmp.resolve("run/abra")).doesNotExist();
    }

    @Test
    void theRunsCheckoutGoesWhereAbraReadsRecipes() throws Exception {
        assertThat(driver(Map.of(), "local").checkoutPath(new RecipeName("hello")))
                .isEqualTo(Path.of("abra", "recipes", "hello"));
    }

    @Test
    void theFactoryBuildsItFromTheConfigurationUnderTheRunDirectory() throws Exception {
        Files.createDirectories(tmp.resolve("home/servers/only"));
        RunConfig config = new RunConfig(
                new RecipeName("hello"),
                Optional.empty(),
                Optional.empty(),
                EnumSet.allOf(Stage.class),
                new RunId("r1"),
                tmp.resolve("runs"),
                tmp.resolve("rc-home"),
                tmp.resolve("locks"),
                RunConfig.DEFAULT_DOMAIN_SUFFIX,
                "0",
                "abra",
                false,
                Duration.ofMinutes(60),
                Optional.empty(),
                Optional.empty(),
                Optional.of(tmp.resolve("home")),
                Optional.empty());

        DeployDriver driver = DeployDriverFactory.forRun(config, new CommandRunner(), RunLog.consoleOnly());

        assertThat(driver.name()).isEqualTo("abra");
        assertThat(((AbraDriver) driver).abraDir().path()).isEqualTo(tmp.resolve("runs/r1/abra"));
        assertThat(((AbraDriver) driver).abraDir().server()).isEqualTo("only");
    }
}

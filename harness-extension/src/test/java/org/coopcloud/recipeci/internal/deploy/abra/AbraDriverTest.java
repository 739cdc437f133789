package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.config.DriverSettings;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDrivers;
import org.coopcloud.recipeci.internal.deploy.DriverContext;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the abra driver checks before any abra call, and how a run gets one; no docker needed. */
class AbraDriverTest {
    @Test
    void abrasLastFatalLineIsTheReason_notScriptsQuotedCommandLine() {
        Command terminal = Command.of(List.of("script", "--quiet", "--return", "--command", "'abra' 'app'"));
        CommandResult failed = new CommandResult(
                terminal,
                1,
                "INFO backing up\nFATA first\nFATA cannot copy /no/such/dir out of hello_app\n",
                "",
                false,
                Duration.ofMillis(5));
        CommandResult quiet = new CommandResult(terminal, 1, "", "no such thing\n", false, Duration.ZERO);

        assertThat(AbraDriver.fatal(failed)).contains("FATA cannot copy /no/such/dir out of hello_app");
        assertThat(AbraDriver.fatal(quiet)).isEmpty();
        CommandResult coloured = new CommandResult(
                terminal,
                1,
                "\u001B[31mFATA\u001B[0m[0001] cannot copy /x out of hello_app\r\n",
                "",
                false,
                Duration.ZERO);
        assertThat(AbraDriver.fatal(coloured)).contains("FATA[0001] cannot copy /x out of hello_app");
    }

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
                new RunSecrets(),
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
    void theRunsPlanWaitsForTheJanitor_whoseAbraCommandsCheckRecipesOutWhereTheRunDoes() throws Exception {
        assertThat(driver(Map.of(), "local").mayPlanAhead()).isFalse();
    }

    @Test
    void theFactoryBuildsItFromTheConfigurationUnderTheRunDirectory() throws Exception {
        Files.createDirectories(tmp.resolve("home/servers/only"));
        RunConfig config = RunConfig.of(
                        new RecipeName("hello"),
                        RunPaths.under(tmp.resolve("rc-home")).withRunsDir(tmp.resolve("runs")))
                .withRunId(new RunId("r1"))
                .withDriver(new DriverSettings(
                        "abra", Map.of(ConfigKey.ABRA_HOME, tmp.resolve("home").toString())));

        DeployDriver driver = DeployDrivers.create(
                new DriverContext(config, new CommandRunner(), RunLog.consoleOnly(), new RunSecrets()));

        assertThat(driver.name()).isEqualTo("abra");
        assertThat(((AbraDriver) driver).abraDir().path()).isEqualTo(tmp.resolve("runs/r1/abra"));
        assertThat(((AbraDriver) driver).abraDir().server()).isEqualTo("only");
    }
}

package org.coopcloud.recipeci.internal.deploy.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.lifecycle.AppDomains;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swarm driver against the real local swarm and the demo recipe {@code hello} (needs `scripts/local-swarm up`).
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
    void deploysARelease_thenTearsDownWithoutResidue() throws Exception {
        RecipeSource source = checkout(Optional.of(new Version("1.0.0+2.0")), Optional.empty());
        driver.validate(source, domain);

        AppInstance app = driver.create(source, domain, java.util.Map.of(), secrets);
        assertThat(Files.readString(app.envFile())).contains("DOMAIN=" + domain).contains("TYPE=hello");
        assertThat(dockerLines("secret", "ls", "--format", "{{.Name}}"))
                .contains(domain.stackName() + "_greeting_key_v1");
        driver.deploy(app, source, Duration.ofMinutes(2));

        assertThat(driver.services(app)).isNotEmpty().allMatch(ServiceState::converged);
        assertThat(driver.deployedVersion(app)).contains("1.0.0+2.0");
        assertThat(get(app.baseUrl().resolve("/health")).statusCode()).isEqualTo(200);
        assertThat(get(app.baseUrl().resolve("/")).body()).contains("2.0");

        assertThat(driver.teardown(domain)).isEmpty();
        assertThat(dockerLines("stack", "ls", "--format", "{{.Name}}"))
                .doesNotContain(domain.stackName().value());
        assertThat(dockerLines("volume", "ls", "--format", "{{.Name}}"))
                .noneMatch(v -> v.startsWith(domain.stackName().value()));
        assertThat(dockerLines("secret", "ls", "--format", "{{.Name}}"))
                .noneMatch(s -> s.startsWith(domain.stackName().value()));
        assertThat(app.envFile()).doesNotExist();
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
                Duration.ofMinutes(60),
                Optional.empty(),
                Optional.empty());
        return new RecipeCatalogue(HOME, runner).checkout(config, tmp.resolve("recipe"));
    }

    private java.util.List<String> dockerLines(String... args) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("docker"));
        argv.addAll(java.util.List.of(args));
        return runner.run(Command.of(argv)).orThrow().stdout().lines().toList();
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}

package org.coopcloud.recipeci.internal.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.run.AppDomains;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link DeployDriver} must do, shown on the real local swarm with the demo recipe {@code hello}: one
 * app's life, in order — check, create and deploy (HTTP through the bridge into the {@code proxy} network, with the
 * app's domain as {@code Host}), exec, list, upgrade in place, backup and restore, teardown (the bridge too) — a bad
 * environment refused up front, a service that cannot start failing fast with its task error, a compose file that
 * does not parse refused before anything exists, and a teardown of nothing that is clean. A subclass per driver supplies the driver; a step whose predecessor failed is
 * skipped, not failed again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class DeployDriverContract {
    protected static final RecipeName HELLO = new RecipeName("hello");
    protected static final Version FIRST = new Version("1.0.0+2.0");
    protected static final Version SECOND = new Version("1.1.0+2.1");
    private static final Path HOME = Optional.ofNullable(System.getenv("RECIPECI_HOME"))
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), ".recipe-ci"));

    protected final CommandRunner runner = new CommandRunner();
    protected final RunSecrets secrets = new RunSecrets();

    /** The class's scratch directory: one app's life spans every test of the class. */
    protected Path tmp;

    protected Path runDir;
    protected DeployDriver driver;
    protected AppDomain domain;
    private AppInstance app;
    private RecipeSource source;
    private String torn;
    private AppDomain brokenDomain;

    /** The driver under test, for a run whose directory is {@code runDir}. */
    protected abstract DeployDriver driver(Path runDir) throws Exception;

    /** Checks the environment of a driver whose target is unusable, and returns the exception that says so. */
    protected abstract RecipeConfigurationException brokenEnvironment(Path scratch) throws Exception;

    /** A fragment the broken environment's message must carry: what to fix. */
    protected abstract String brokenEnvironmentHint();

    @BeforeAll
    void createDriver(@TempDir Path scratch) throws Exception {
        tmp = scratch;
        runDir = tmp.resolve("runs").resolve("contract");
        driver = driver(runDir);
        domain = AppDomains.forRun(HELLO, "contract", UUID.randomUUID().toString(), "it.recipe-ci.test");
    }

    @AfterAll
    void nothingIsLeftWhateverHappened() {
        if (driver != null && torn == null) {
            assertThat(driver.teardown(domain)).as("residuals of " + domain).isEmpty();
        }
        if (driver != null && brokenDomain != null) {
            assertThat(driver.teardown(brokenDomain))
                    .as("residuals of " + brokenDomain)
                    .isEmpty();
        }
    }

    @Test
    @Order(1)
    void theEnvironmentCheckPasses() {
        driver.checkEnvironment();
    }

    @Test
    @Order(2)
    void createAndDeployConvergeWithTheReleasesVersionLabel() throws Exception {
        source = checkout(FIRST);
        driver.validate(source, domain);
        AppInstance created = driver.create(source, domain, Map.of("CONTRACT_EXTRA", "yes"), secrets);
        assertThat(Files.readString(created.envFile()))
                .contains("DOMAIN=" + domain)
                .contains("CONTRACT_EXTRA=yes");
        assertThat(created.secretNames()).containsExactly(domain.stackName() + "_greeting_key_v1");
        assertThat(docker("secret", "ls", "--format", "{{.Name}}")).containsAll(created.secretNames());

        driver.deploy(created, source, Duration.ofMinutes(2));
        app = created;

        assertThat(driver.view().services(app.domain())).isNotEmpty().allMatch(ServiceState::converged);
        assertThat(driver.view().versionLabel(app.domain())).contains(FIRST.value());
        FrontDoor.Entrance main = driver.view().frontDoor(domain).main();
        assertThat(main.baseUrl().getHost())
                .as("test traffic leaves on loopback")
                .isEqualTo("127.0.0.1");
        assertThat(main.host()).isEqualTo(domain.value());
        assertThat(main.via()).isEqualTo("edge bridge to tasks." + domain.stackName() + "_app:8080");
        assertThat(get(main, "/health").statusCode()).isEqualTo(200);
        assertThat(docker(
                        "ps",
                        "--filter",
                        "label=org.coopcloud.recipeci.edge=" + domain.stackName(),
                        "--format",
                        "{{.Names}}"))
                .as("the app's edge container runs while the app does")
                .containsExactly("recipe-ci-edge-" + domain.stackName());
    }

    @Test
    @Order(3)
    void execRunsInTheAppsTaskAndTheSecretIsOneTheHarnessKnows() {
        assumeTrue(app != null, "needs the deployed app");
        CommandResult echoed =
                driver.view().exec(app.domain(), "app", List.of("sh", "-c", "cat"), Optional.of("through stdin"));
        assertThat(echoed.ok()).as(echoed.describe()).isTrue();
        assertThat(echoed.stdout()).isEqualTo("through stdin");

        CommandResult secret =
                driver.view().exec(app.domain(), "app", List.of("cat", "/run/secrets/greeting_key"), Optional.empty());
        assertThat(secret.ok()).as(secret.describe()).isTrue();
        assertThat(secrets.values().contains(secret.stdout().strip()))
                .as("the secret in the container is one the run knows, to redact it (value not shown)")
                .isTrue();
        assertThat(driver.view().logs(app.domain(), "app", 5)).isNotNull();
    }

    @Test
    @Order(4)
    void listAppsContainsTheApp() {
        assumeTrue(app != null, "needs the deployed app");
        assertThat(driver.listApps()).contains(domain);
    }

    @Test
    @Order(5)
    void anInPlaceUpgradeKeepsTheDataAndChangesTheVersion() throws Exception {
        assumeTrue(app != null, "needs the deployed app");
        List<String> volumes = driver.view().volumes(domain);
        assertThat(volumes).isNotEmpty();
        URI entrance = driver.view().frontDoor(domain).main().baseUrl();
        write("/data/kept", "kept across the upgrade");

        RecipeCatalogue catalogue = new RecipeCatalogue(HOME, runner);
        RecipeSource next = catalogue.release(source, SECOND);
        catalogue.switchTo(next);
        AppInstance upgraded = driver.reconfigure(app, next, Map.of(), secrets);
        driver.deploy(upgraded, next, Duration.ofMinutes(2));
        app = upgraded;
        source = next;

        assertThat(driver.view().frontDoor(domain).main().baseUrl())
                .as("the bridge stays open across the upgrade")
                .isEqualTo(entrance);
        assertThat(driver.view().versionLabel(app.domain())).contains(SECOND.value());
        assertThat(driver.view().volumes(domain)).isEqualTo(volumes);
        assertThat(read("/data/kept")).isEqualTo("kept across the upgrade");
        assertThat(get(driver.view().frontDoor(domain).main(), "/").asString()).contains("2.1");
    }

    @Test
    @Order(6)
    void aRestoreBringsBackWhatTheBackupHeld() throws Exception {
        assumeTrue(app != null, "needs the deployed app");
        assertThat(driver.view().backupCapable(app.domain())).isTrue();
        assertThat(driver.view().backupPath(app.domain())).contains("/data");
        String marker = "contract-" + UUID.randomUUID();
        write("/data/marker", marker);

        Snapshot snapshot =
                driver.backup(app, "snapshot-1", runDir.resolve("snapshots").resolve("snapshot-1"));
        assertThat(snapshot.holds(marker)).as("the snapshot holds the marker").isTrue();
        write("/data/marker", "damaged");

        driver.restore(app, snapshot);
        assertThat(read("/data/marker")).isEqualTo(marker);
    }

    @Test
    @Order(7)
    void teardownLeavesNothingThatDockerCanSee() throws Exception {
        assumeTrue(app != null, "needs the deployed app");
        Path envFile = app.envFile();
        torn = domain.value();
        assertThat(driver.teardown(domain)).isEmpty();

        assertThat(driver.view().leftovers(domain)).isEmpty();
        String stack = domain.stackName().value();
        assertThat(docker("stack", "ls", "--format", "{{.Name}}")).doesNotContain(stack);
        for (String kind : List.of("volume", "secret", "config", "network")) {
            assertThat(docker(kind, "ls", "--format", "{{.Name}}"))
                    .as(kind + "s of " + stack)
                    .noneMatch(n -> n.startsWith(stack));
        }
        assertThat(docker("ps", "-a", "--format", "{{.Names}}")).noneMatch(n -> n.startsWith(stack));
        assertThat(docker(
                        "ps", "-a", "--filter", "label=org.coopcloud.recipeci.edge=" + stack, "--format", "{{.Names}}"))
                .as("the app's edge container")
                .isEmpty();
        assertThat(envFile).doesNotExist();
        assertThatThrownBy(() -> driver.view().frontDoor(domain))
                .as("no front door after teardown")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(8)
    void aBadEnvironmentFailsTheCheckWithOneClearMessage() throws Exception {
        RecipeConfigurationException refused = brokenEnvironment(tmp.resolve("broken"));
        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains(brokenEnvironmentHint());
    }

    @Test
    @Order(9)
    void aServiceThatCannotStartFailsFastWithTheTaskErrorAndItsLogs() throws Exception {
        brokenDomain =
                AppDomains.forRun(HELLO, "contract-broken", UUID.randomUUID().toString(), "it.recipe-ci.test");
        RecipeSource broken = checkout(Optional.empty(), Optional.of("broken-start"));
        AppInstance created = driver.create(broken, brokenDomain, Map.of(), secrets);
        long started = System.nanoTime();

        DeployFailedException failed = null;
        try {
            driver.deploy(created, broken, Duration.ofMinutes(3));
        } catch (DeployFailedException e) {
            failed = e;
        }
        assertThat(failed).as("the deploy of a service that cannot start fails").isNotNull();
        assertThat(failed.getMessage()).contains("non-zero exit").contains("hello-daemon");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("fail fast, not at the 3 minute limit")
                .isLessThan(Duration.ofSeconds(90));
        assertThat(driver.teardown(brokenDomain)).isEmpty();
        brokenDomain = null;
    }

    @Test
    @Order(10)
    void aComposeFileThatDoesNotParseIsAConfigurationErrorBeforeAnythingIsCreated() {
        AppDomain never =
                AppDomains.forRun(HELLO, "contract-compose", UUID.randomUUID().toString(), "it.recipe-ci.test");
        RecipeSource broken = checkout(Optional.empty(), Optional.of("broken-compose"));

        RecipeConfigurationException refused = refusal(() -> driver.validate(broken, never));
        assertThat(refused.getMessage()).contains("do not parse").contains("compose.yml");
        assertThat(driver.view().leftovers(never)).isEmpty();
    }

    @Test
    @Order(11)
    void tearingDownAnAppThatNeverExistedIsCleanAndQuiet() {
        AppDomain never =
                AppDomains.forRun(HELLO, "contract-none", UUID.randomUUID().toString(), "it.recipe-ci.test");
        assertThat(driver.teardown(never)).isEmpty();
    }

    /** The configuration error {@code check} is refused with; fails when it passes. */
    protected static RecipeConfigurationException refusal(Runnable check) {
        try {
            check.run();
        } catch (RecipeConfigurationException e) {
            return e;
        }
        throw new AssertionError("the environment check passed, but the environment is broken");
    }

    protected RecipeSource checkout(Version version) {
        return checkout(Optional.of(version), Optional.empty());
    }

    /** A fresh clone of {@code hello} where the driver wants it, at a release or a ref. */
    protected RecipeSource checkout(Optional<Version> version, Optional<String> ref) {
        Path dest = runDir.resolve(driver.checkoutPath(HELLO));
        if (Files.exists(dest)) {
            runner.run(Command.of("rm", "-rf", "--", dest.toString())).orThrow();
        }
        CodeUnderTest code = new CodeUnderTest(HELLO, version, ref, Optional.empty(), Optional.empty(), "0");
        return new RecipeCatalogue(HOME, runner).checkout(code, dest);
    }

    private void write(String file, String text) {
        CommandResult written =
                driver.view().exec(app.domain(), "app", List.of("sh", "-c", "cat > \"$0\"", file), Optional.of(text));
        assertThat(written.ok()).as(written.describe()).isTrue();
    }

    private String read(String file) {
        CommandResult read = driver.view().exec(app.domain(), "app", List.of("cat", file), Optional.empty());
        assertThat(read.ok()).as(read.describe()).isTrue();
        return read.stdout();
    }

    protected List<String> docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return runner.run(Command.of(argv)).orThrow().stdout().lines().toList();
    }

    /** A GET through the app's front door, with the router's {@code Host} header, as a tier test sends it. */
    private static Response get(FrontDoor.Entrance entrance, String path) {
        return given().baseUri(entrance.baseUrl().toString())
                .header("Host", entrance.host())
                .get(path);
    }
}

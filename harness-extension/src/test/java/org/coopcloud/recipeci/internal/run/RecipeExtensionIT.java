package org.coopcloud.recipeci.internal.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.junit.TierClassOrderer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension's run lifecycle, through the real Jupiter engine: the run handle lives in the root store, deploys
 * once for all tier classes, is closed once after the last — also when tests fail or the deploy fails half-way —
 * and a deploy failure is remembered instead of redeployed. The deploy driver is a recorder; the catalogue (git),
 * the app lock and the health probe (HTTP on 127.0.0.1) are real.
 */
class RecipeExtensionIT {
    /** Keeps these tier classes out of the entrypoint runs of other ITs that share this class path. */
    private static final String FIXTURE = "recipe-ci-it-fixture";

    private static final String RECIPE = "fake-recipe";

    @TempDir
    Path home;

    private HttpServer app;
    /** Every request the app got: {@code METHOD path Host}. */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private volatile byte[] marker = new byte[0];

    @BeforeEach
    void startTheAppAndTheCatalogue() throws Exception {
        catalogue("fake-dep");
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", exchange -> {
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                            + exchange.getRequestHeaders().getFirst("Host"));
            if (exchange.getRequestURI().getPath().equals("/marker")) {
                if (exchange.getRequestMethod().equals("POST")) {
                    marker = exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(201, -1);
                } else {
                    exchange.sendResponseHeaders(200, marker.length);
                    exchange.getResponseBody().write(marker);
                }
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.start();
        FakeDriver.reset(app.getAddress().getPort());
        catalogue(RECIPE);
    }

    private void catalogue(String recipe) throws Exception {
        Path repo = Files.createDirectories(home.resolve("recipes").resolve(recipe));
        Files.writeString(repo.resolve("compose.yml"), "version: \"3.8\"\nservices: {app: {image: x}}\n");
        // Optional settings shown commented out, as Co-op Cloud samples do: profiles may set them.
        Files.writeString(
                repo.resolve(".env.sample"),
                "TYPE=" + recipe + "\nDOMAIN=x.example.org\n#LOG_LEVEL=info\n#MIGRATE=false\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "release");
        git(repo, "tag", "1.0.0+1.0");
    }

    @AfterEach
    void stopTheApp() {
        app.stop(0);
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = RECIPE)
    @Tier(Stage.INSTALL)
    static class FirstTier {
        @Test
        void first(DeployedApp app) {
            FakeDriver.EVENTS.add("test first on " + app.domain());
        }
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = RECIPE)
    @Tier(Stage.CUSTOM)
    static class SecondTier {
        @Test
        void second(DeployedApp app) {
            FakeDriver.EVENTS.add("test second on " + app.domain());
        }
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = RECIPE)
    @Tier(Stage.CUSTOM)
    static class FailingTier {
        @Test
        void fails(DeployedApp app) {
            FakeDriver.EVENTS.add("test fails");
            throw new AssertionError("on purpose");
        }
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = RECIPE)
    @Tier(Stage.UPGRADE)
    static class UpgradeTierOfFake {
        @Test
        void upgrades(DeployedApp app) {
            FakeDriver.EVENTS.add("test upgrade");
        }
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = RECIPE)
    @Tier(Stage.BACKUP)
    static class BackupTierOfFake {
        @Test
        void backedUp(DeployedApp app) {
            FakeDriver.EVENTS.add("test backup");
        }
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = RECIPE)
    @Tier(Stage.RESTORE)
    static class RestoreTierOfFake {
        @Test
        void restored(DeployedApp app) {
            FakeDriver.EVENTS.add("test restore");
        }
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = RECIPE)
    @Tier(Stage.CUSTOM)
    static class DependencyTier {
        @Test
        void usesTheDependency(DeployedApp app) {
            FakeDriver.EVENTS.add(
                    "test with dependency " + app.dependency("fake-dep").domain());
        }

        @Test
        void doesNotNeedIt(DeployedApp app) {
            FakeDriver.EVENTS.add("test without dependency");
        }
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = RECIPE)
    @Tier(Stage.CUSTOM)
    static class AuthorsRequestTier {
        @Test
        void asksTheApp(DeployedApp app) {
            given().spec(app.http()).get("/authors-request").then().statusCode(200);
        }
    }

    @Tag(FIXTURE)
    @RecipeTest(recipe = "another-recipe")
    @Tier(Stage.CUSTOM)
    static class OtherRecipesTier {
        @Test
        void never(DeployedApp app) {
            FakeDriver.EVENTS.add("test of another recipe");
        }
    }

    @Test
    void deploysOnceForAllTierClasses_andTearsDownOnceAfterTheLast() {
        EngineExecutionResults results = run(Map.of(), selectClass(SecondTier.class), selectClass(FirstTier.class));

        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        List<String> events = List.copyOf(FakeDriver.EVENTS);
        String domain = events.get(0).substring("create ".length());
        assertThat(events)
                .as("tier order, one create, one teardown after the last class")
                .containsExactly(
                        "create " + domain,
                        "deploy",
                        "test first on " + domain,
                        "test second on " + domain,
                        "teardown " + domain);
    }

    @Test
    void aFailingTestStillGetsItsAppTornDown() {
        EngineExecutionResults results = run(Map.of(), selectClass(FirstTier.class), selectClass(FailingTier.class));

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(FakeDriver.EVENTS).filteredOn(e -> e.startsWith("create")).hasSize(1);
        assertThat(FakeDriver.EVENTS.get(FakeDriver.EVENTS.size() - 1)).startsWith("teardown ");
    }

    @Test
    void aDeployFailureFailsInstall_skipsLaterTiersAsUnverified_isNotRetried_andIsTornDown() {
        FakeDriver.failDeployWith = "task app.1 failed: non-zero exit (127)";

        EngineExecutionResults results = run(Map.of(), selectClass(FirstTier.class), selectClass(SecondTier.class));

        results.testEvents()
                .assertStatistics(s -> s.started(2).failed(1).aborted(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(finishedWithFailure(
                                instanceOf(DeployFailedException.class),
                                message(m -> m.contains("non-zero exit (127)")))))
                .haveExactly(
                        1,
                        event(org.junit.platform.testkit.engine.EventConditions.abortedWithReason(message(m ->
                                m.startsWith("unverified: install failed") && m.contains("non-zero exit (127)")))));
        assertThat(FakeDriver.EVENTS)
                .filteredOn("deploy"::equals)
                .as("no redeploy")
                .hasSize(1);
        assertThat(FakeDriver.EVENTS).filteredOn(e -> e.startsWith("test")).isEmpty();
        assertThat(FakeDriver.EVENTS.get(FakeDriver.EVENTS.size() - 1))
                .as("the half-deployed app is torn down")
                .startsWith("teardown ");
    }

    @Test
    void withoutAnInstallTierTheFirstTierToDeployReportsTheFailure() {
        FakeDriver.failDeployWith = "task app.1 failed: non-zero exit (127)";

        EngineExecutionResults results = run(Map.of("recipeci.stages", "custom"), selectClass(SecondTier.class));

        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    }

    @Test
    void anUpgradeWithoutAnEarlierReleaseIsSkippedAsUnverified() {
        EngineExecutionResults results =
                run(Map.of(), selectClass(FirstTier.class), selectClass(UpgradeTierOfFake.class));

        results.testEvents()
                .assertStatistics(s -> s.succeeded(1).aborted(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(org.junit.platform.testkit.engine.EventConditions.abortedWithReason(
                                message(m -> m.startsWith("unverified: ") && m.contains("no release before")))));
    }

    @Test
    void aTierTheProfileDeclaresNotApplicableIsSkippedWithItsReason() {
        FakeRecipeProfile.notApplicable = Map.of(Stage.CUSTOM, "the fake has no features");

        EngineExecutionResults results = run(Map.of(), selectClass(FirstTier.class), selectClass(SecondTier.class));

        results.testEvents()
                .assertStatistics(s -> s.succeeded(1).aborted(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(org.junit.platform.testkit.engine.EventConditions.abortedWithReason(
                                message("not applicable: the fake has no features"))));
    }

    @Test
    void aBackupCapableAppIsBackedUpOnce_andRestoredFromThatBackup() {
        FakeDriver.backupCapable = true;
        FakeRecipeProfile.markerPath = Optional.of("/marker");

        EngineExecutionResults results = run(
                Map.of("recipeci.stages", "install,backup,restore"),
                selectClass(BackupTierOfFake.class),
                selectClass(RestoreTierOfFake.class));

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(FakeDriver.EVENTS)
                .containsSubsequence(
                        "before BACKUP", "backup snapshot-1", "test backup", "before RESTORE", "restore snapshot-1");
        assertThat(FakeDriver.EVENTS).filteredOn(e -> e.startsWith("backup ")).hasSize(1);
    }

    @Test
    void aBackupWhoseDumpIsEmpty_failsBackup_namingTheEmptyFile_andLeavesRestoreUnverified() {
        FakeDriver.backupCapable = true;
        FakeDriver.emptyDump = true;
        FakeRecipeProfile.markerPath = Optional.of("/marker");
        FakeRecipeProfile.backupVerify = true;

        EngineExecutionResults results = run(
                Map.of("recipeci.stages", "install,backup,restore"),
                selectClass(BackupTierOfFake.class),
                selectClass(RestoreTierOfFake.class));

        results.testEvents()
                .assertStatistics(s -> s.failed(1).aborted(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(org.junit.platform.testkit.engine.EventConditions.finishedWithFailure(
                                message(m -> m.startsWith("backup failed: ")
                                        && m.contains("fake_app: /data/dump.sql is an empty file")))));
        assertThat(FakeDriver.EVENTS).filteredOn(e -> e.startsWith("backup ")).hasSize(3);
        assertThat(FakeDriver.EVENTS).noneMatch(e -> e.startsWith("restore "));
    }

    @Test
    void backupDeclaredNotApplicable_runsNoBackupAtAll_andMakesRestoreNotApplicableToo() {
        FakeDriver.backupCapable = true;
        FakeRecipeProfile.markerPath = Optional.of("/marker");
        FakeRecipeProfile.notApplicable = Map.of(Stage.BACKUP, "the fake keeps no state");

        EngineExecutionResults results = run(
                Map.of("recipeci.stages", "install,backup,restore"),
                selectClass(BackupTierOfFake.class),
                selectClass(RestoreTierOfFake.class));

        results.testEvents()
                .assertStatistics(s -> s.started(2).aborted(2))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(org.junit.platform.testkit.engine.EventConditions.abortedWithReason(
                                message("not applicable: the fake keeps no state"))))
                .haveExactly(
                        1,
                        event(org.junit.platform.testkit.engine.EventConditions.abortedWithReason(message(
                                "not applicable: restore needs a backup, and backup is not applicable: the fake keeps"
                                        + " no state"))));
        assertThat(FakeDriver.EVENTS)
                .as("no backup hook, no backup, no restore")
                .noneMatch(e -> e.equals("before BACKUP") || e.equals("before RESTORE"))
                .noneMatch(e -> e.startsWith("backup ") || e.startsWith("restore "));
        assertThat(marker).as("no marker written for a backup").isEmpty();
    }

    @Test
    void onlyBackupAndRestoreSelected_withBackupDeclaredNotApplicable_nothingIsDeployed() {
        FakeDriver.backupCapable = true;
        FakeRecipeProfile.notApplicable = Map.of(Stage.BACKUP, "the fake keeps no state");

        EngineExecutionResults results = run(
                Map.of("recipeci.stages", "backup,restore"),
                selectClass(BackupTierOfFake.class),
                selectClass(RestoreTierOfFake.class));

        results.testEvents()
                .assertStatistics(s -> s.started(2).aborted(2))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(org.junit.platform.testkit.engine.EventConditions.abortedWithReason(message(
                                "not applicable: restore needs a backup, and backup is not applicable: the fake keeps"
                                        + " no state"))));
        assertThat(FakeDriver.CREATED_RECIPES)
                .as("no app created for a tier that cannot run")
                .isEmpty();
        assertThat(FakeDriver.EVENTS).isEmpty();
    }

    @Test
    void aDependencyIsDeployedBeforeTheApp_handedToTests_andTornDownAfterIt() {
        FakeRecipeProfile.withDependency = true;

        EngineExecutionResults results = run(Map.of(), selectClass(DependencyTier.class));

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(FakeDriver.CREATED_RECIPES).containsExactly("fake-dep", RECIPE);
        List<String> events = List.copyOf(FakeDriver.EVENTS);
        String dep = events.get(0).substring("create ".length());
        String main = events.stream()
                .filter(e -> e.startsWith("create "))
                .skip(1)
                .findFirst()
                .orElseThrow()
                .substring("create ".length());
        assertThat(events).contains("test with dependency " + dep);
        assertThat(events.subList(events.size() - 2, events.size()))
                .as("the app first, then its dependency")
                .containsExactly("teardown " + main, "teardown " + dep);
    }

    @Test
    void aDependencyThatDoesNotComeUpSkipsOnlyTheTestsThatNeedIt_andIsStillTornDown() {
        FakeRecipeProfile.withDependency = true;
        FakeDriver.failDeployOfRecipe = "fake-dep";

        EngineExecutionResults results = run(Map.of(), selectClass(DependencyTier.class));

        results.testEvents()
                .assertStatistics(s -> s.succeeded(1).aborted(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(org.junit.platform.testkit.engine.EventConditions.abortedWithReason(message(
                                m -> m.startsWith("dependency fake-dep is not ready") && m.contains("cannot start")))));
        assertThat(FakeDriver.EVENTS).filteredOn(e -> e.startsWith("teardown ")).hasSize(2);
    }

    @Test
    void aDependencyWhoseProfileIsBrokenIsSkippedLikeOneThatDoesNotComeUp_andTheOthersAreTornDown() {
        FakeRecipeProfile.withDependency = true;
        FakeRecipeProfile.moreDependencies = List.of(BrokenDependencyProfile.RECIPE);

        EngineExecutionResults results = run(Map.of(), selectClass(DependencyTier.class));

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(FakeDriver.CREATED_RECIPES).containsExactly("fake-dep", RECIPE);
        assertEveryCreatedAppIsTornDown();
    }

    @Test
    void aHarnessErrorWhileDeployingTheDependenciesStillTearsDownThoseAlreadyCreated() throws Exception {
        catalogue("fake-dep2");
        FakeRecipeProfile.withDependency = true;
        FakeRecipeProfile.moreDependencies = List.of("fake-dep2");
        FakeDriver.failCreateOfRecipe = "fake-dep2";

        EngineExecutionResults results = run(Map.of(), selectClass(DependencyTier.class));

        results.testEvents().assertStatistics(s -> s.failed(2));
        assertThat(FakeDriver.CREATED_RECIPES).containsExactly("fake-dep");
        assertEveryCreatedAppIsTornDown();
    }

    @Test
    void aTeardownThatThrowsStillLetsTheDependenciesBeTornDown_andFailsTheRun() {
        FakeRecipeProfile.withDependency = true;
        FakeDriver.failNextTeardown = true;

        EngineExecutionResults results = run(Map.of(), selectClass(DependencyTier.class));

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertEveryCreatedAppIsTornDown();
        results.allEvents()
                .assertThatEvents()
                .haveAtLeast(
                        1,
                        event(finishedWithFailure(cause(message(
                                m -> m.contains("left 1 thing(s) behind") && m.contains("its teardown failed"))))));
    }

    private static void assertEveryCreatedAppIsTornDown() {
        List<String> events = List.copyOf(FakeDriver.EVENTS);
        assertThat(events)
                .as("a teardown for every app created")
                .containsAll(events.stream()
                        .filter(e -> e.startsWith("create "))
                        .map(e -> "teardown " + e.substring("create ".length()))
                        .toList());
    }

    @Test
    void profileEnvInstallStepsAndOverlayReachTheAppBeforeItsFirstDeploy() {
        FakeRecipeProfile.extraEnv = Map.of("LOG_LEVEL", "debug");
        FakeRecipeProfile.installSteps = Map.of("ADMIN_EMAIL", "ci@example.org");
        FakeRecipeProfile.overlay = Optional.of("fake-overlay.yml");

        run(Map.of(), selectClass(FirstTier.class)).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(FakeDriver.lastDeployEnv)
                .containsEntry("LOG_LEVEL", "debug")
                .containsEntry("ADMIN_EMAIL", "ci@example.org")
                .containsEntry("COMPOSE_FILE", "compose.yml:" + AppPreparation.OVERLAY_FILE);
    }

    @Test
    void theUpgradeRunsOnceWithItsHookAndEnv_fromThePreviousRelease() throws Exception {
        releaseTwo();
        FakeRecipeProfile.upgradeExtraEnv = Map.of("MIGRATE", "true");

        EngineExecutionResults results =
                run(Map.of(), selectClass(UpgradeTierOfFake.class), selectClass(SecondTier.class));

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(FakeDriver.EVENTS)
                .containsSubsequence("deploy", "before UPGRADE", "reconfigure", "deploy", "test upgrade");
        assertThat(FakeDriver.EVENTS)
                .filteredOn("reconfigure"::equals)
                .as("upgraded once")
                .hasSize(1);
        assertThat(FakeDriver.EVENTS)
                .filteredOn(e -> e.startsWith("create "))
                .as("in place")
                .hasSize(1);
        assertThat(FakeDriver.lastReconfigureExtra).containsEntry("MIGRATE", "true");
    }

    @Test
    void everyRequestOfTheRun_probeMarkerAndTests_carriesTheAppsDomainAsHost() throws Exception {
        releaseTwo();
        FakeRecipeProfile.markerPath = Optional.of("/marker");

        EngineExecutionResults results =
                run(Map.of(), selectClass(UpgradeTierOfFake.class), selectClass(AuthorsRequestTier.class));

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        String domain = FakeDriver.EVENTS.get(0).substring("create ".length());
        assertThat(requests)
                .as("the ready probe, the upgrade's marker and a test's own request all reached the app")
                .contains("GET / " + domain, "POST /marker " + domain, "GET /authors-request " + domain)
                .allSatisfy(request -> assertThat(request).endsWith(" " + domain));
    }

    @Test
    void aConfigurationErrorFailsEveryTestAndCreatesNothing() {
        EngineExecutionResults results = run(Map.of("recipeci.version", "9.9.9+9"), selectClass(FirstTier.class));

        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(finishedWithFailure(
                                instanceOf(RecipeConfigurationException.class),
                                message(m -> m.contains("has no version")))));
        assertThat(FakeDriver.EVENTS).isEmpty();
    }

    @Test
    void aProfileEnvKeyTheRecipeDoesNotKnowIsAConfigurationErrorBeforeAnythingIsCreated() {
        FakeRecipeProfile.extraEnv = Map.of("LOG_LEVLE", "debug");

        EngineExecutionResults results = run(Map.of(), selectClass(FirstTier.class));

        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(finishedWithFailure(
                                instanceOf(RecipeConfigurationException.class),
                                message(m ->
                                        m.contains("extraEnv sets LOG_LEVLE") && m.contains("closest: LOG_LEVEL")))));
        assertThat(FakeDriver.EVENTS).noneMatch(e -> e.startsWith("create "));
    }

    @Test
    void aClassOfAnotherRecipeIsAConfigurationError() {
        EngineExecutionResults results =
                run(Map.of(), selectClass(FirstTier.class), selectClass(OtherRecipesTier.class));

        assertThat(FakeDriver.EVENTS).doesNotContain("test of another recipe");
        results.allEvents()
                .assertThatEvents()
                .haveAtLeast(
                        1,
                        event(finishedWithFailure(
                                instanceOf(RecipeConfigurationException.class),
                                message(m -> m.contains("another-recipe")))));
    }

    private EngineExecutionResults run(Map<String, String> extra, DiscoverySelector... selectors) {
        try {
            Files.createDirectories(home.resolve("locks")); // the host's setup makes the lock directory, not a run
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> params = new HashMap<>(Map.of(
                "recipeci.home", home.toString(),
                "recipeci.runs-dir", home.resolve("runs").toString(),
                "recipeci.lock-dir", home.resolve("locks").toString(),
                "recipeci.driver", "fake",
                "junit.jupiter.testclass.order.default", TierClassOrderer.class.getName()));
        params.putAll(extra);
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectors)
                .configurationParameters(params)
                .execute();
    }

    /** A second release of the recipe, so the run has one to upgrade from. */
    private void releaseTwo() throws Exception {
        Path repo = home.resolve("recipes").resolve(RECIPE);
        Files.writeString(repo.resolve("compose.yml"), "version: \"3.8\"\nservices: {app: {image: y}}\n");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qam", "release 2");
        git(repo, "tag", "1.1.0+1.1");
    }

    static void git(Path dir, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}

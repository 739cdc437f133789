package org.coopcloud.recipeci.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.DriverSettings;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.coopcloud.recipeci.internal.config.SourceRepository;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's plan made ahead, on a thread of its own, while the entrypoint has JUnit discover the tiers: with real git
 * (the checkout into the run directory) and the recording driver. The deploy takes the plan, or what making it
 * threw; a run stopped before any deploy took it stops the plan's thread.
 */
class PlanAheadIT {
    @TempDir
    Path home;

    private final List<RunSetup> setups = new ArrayList<>();

    @BeforeEach
    void reset() {
        FakeDriver.reset(0);
        SlowPlanProfile.reset();
    }

    @AfterEach
    void closeTheSetups() {
        setups.forEach(RunSetup::close);
        assertThat(planThreads()).as("no plan thread outlives its setup").isEmpty();
    }

    @Test
    void thePlanMadeAheadIsTheOneTheDeployTakes() throws Exception {
        catalogue("fake-recipe");
        RunSetup setup = setup("fake-recipe", "1");
        setup.planAhead();

        RunPlan plan = setup.awaitPlan().orElseThrow().get();

        assertThat(plan.domain()).isEqualTo(AppDomains.forRun(setup.config()));
        assertThat(plan.underTest().workTree())
                .isEqualTo(setup.config().runDir().resolve("recipes/fake-recipe"));
        assertThat(plan.underTest().workTree().resolve("compose.yml")).exists();
        assertThat(plan.lint().summary()).isNotBlank();
        assertThat(plan.profile())
                .as("the run's one profile: its hooks and its tests see the same instance")
                .isSameAs(setup.profile());
        assertThat(setup.awaitPlan().orElseThrow().get())
                .as("taken twice, the same plan")
                .isSameAs(plan);
    }

    @Test
    void withoutAPlanMadeAheadTheDeployMakesItInPlace() throws Exception {
        catalogue("fake-recipe");
        RunSetup setup = setup("fake-recipe", "1");

        assertThat(setup.awaitPlan()).isEmpty();
    }

    @Test
    void aDriverWhoseTeardownsUseTheCheckoutDirectoryGetsNoPlanAhead() throws Exception {
        catalogue("fake-recipe");
        FakeDriver.mayPlanAhead = false;
        RunSetup setup = setup("fake-recipe", "1");

        setup.planAhead();

        assertThat(planThreads()).as("no plan thread started").isEmpty();
        assertThat(setup.awaitPlan())
                .as("the deploy makes the plan after the janitor")
                .isEmpty();
        assertThat(setup.config().runDir().resolve("recipes/fake-recipe")).doesNotExist();
    }

    @Test
    void aProfileThatCannotBeMadeFailsThePlanAndTheRunWithTheSameError() throws Exception {
        catalogue(BrokenDependencyProfile.RECIPE);
        RunSetup setup = setup(BrokenDependencyProfile.RECIPE, "1");
        setup.planAhead();

        Throwable taken = catchThrowable(() -> setup.awaitPlan().orElseThrow().get());

        assertThat(taken).isInstanceOf(RecipeConfigurationException.class).hasMessageContaining("healthPath");
        assertThat(catchThrowable(setup::profile))
                .as("remembered, not made again")
                .isSameAs(taken);
    }

    @Test
    void aPlanThatCannotBeMadeAheadFailsTheDeployThatTakesIt_withWhatMakingItInPlaceThrows() throws Exception {
        // No such recipe in the catalogue: the checkout fails, before anything exists.
        RunSetup ahead = setup("fake-not-in-catalogue", "1");
        ahead.planAhead();
        Throwable taken = catchThrowable(() -> ahead.awaitPlan().orElseThrow().get());

        RunSetup inPlace = setup("fake-not-in-catalogue", "2");
        Throwable made = catchThrowable(
                () -> RunPlan.make(inPlace, Profiles.forRecipe(new RecipeName("fake-not-in-catalogue")), line -> {}));

        assertThat(made).as("making the plan in place fails").isNotNull();
        assertThat(taken).isInstanceOf(made.getClass()).hasMessage(made.getMessage());
    }

    @Test
    void aPlanRefusedAfterItsLintStillLogsWhatLintFound_whenTheDeployTakesIt() throws Exception {
        catalogue("fake-recipe");
        FakeRecipeProfile.extraEnv = Map.of("NO_SUCH_KEY", "1"); // refused after lint: the recipe does not know it
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunSetup setup = setup("fake-recipe", "1", c -> c, new PrintStream(console, true, StandardCharsets.UTF_8));
        setup.planAhead();
        Supplier<RunPlan> taken = setup.awaitPlan().orElseThrow();
        assertThat(console.toString(StandardCharsets.UTF_8))
                .as("nothing written before the deploy takes the plan")
                .doesNotContain("lint");

        assertThatThrownBy(taken::get).hasMessageContaining("NO_SUCH_KEY");

        assertThat(console.toString(StandardCharsets.UTF_8)).contains("lint (abra's rules): ");
    }

    @Test
    void closingTheSetupBeforeAnyDeployTookThePlanStopsThePlan() throws Exception {
        catalogue(SlowPlanProfile.RECIPE);
        RunSetup setup = setup(SlowPlanProfile.RECIPE, "1");
        setup.planAhead();
        assertThat(SlowPlanProfile.reading.await(10, TimeUnit.SECONDS))
                .as("the plan is being made")
                .isTrue();

        setup.close();

        assertThat(SlowPlanProfile.interrupted)
                .as("the plan's thread was interrupted")
                .isTrue();
        assertThat(planThreads()).isEmpty();
    }

    @Test
    void closingTheSetupKillsTheGitCommandThePlanIsWaitingFor() throws Exception {
        catalogue("fake-recipe");
        // The code under test comes from a repository whose server takes the connection and never answers: the
        // plan's git is in flight until it is killed.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String src = "http://127.0.0.1:" + silent.getLocalPort() + "/hello.git";
            RunSetup setup = setup(
                    "fake-recipe",
                    "1",
                    c -> c.withCode(new CodeUnderTest(
                            new RecipeName("fake-recipe"),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of(new SourceRepository(src)),
                            Optional.empty(),
                            "0")));
            setup.planAhead();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (gitNaming(src).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(gitNaming(src))
                    .as("the plan's git, waiting for the server")
                    .isNotEmpty();

            setup.close();

            assertThat(planThreads()).isEmpty();
            assertThat(gitNaming(src))
                    .as("git processes left after the setup closed")
                    .isEmpty();
            assertThat(catchThrowable(() -> setup.awaitPlan().orElseThrow().get()))
                    .as("the plan never came")
                    .isNotNull();
        }
    }

    /** Live git processes whose command line names {@code text}. */
    private static List<ProcessHandle> gitNaming(String text) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(text))
                .filter(p -> p.info().command().orElse("").contains("git"))
                .toList();
    }

    @Test
    void anInterruptWhileTheDeployWaitsForThePlanStopsThePlan_andSaysTheRunWasStopped() throws Exception {
        catalogue(SlowPlanProfile.RECIPE);
        RunSetup setup = setup(SlowPlanProfile.RECIPE, "1");
        setup.planAhead();
        assertThat(SlowPlanProfile.reading.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread deploy = new Thread(() -> thrown.set(catchThrowable(setup::awaitPlan)), "test-deploy");
        deploy.start();
        while (deploy.getState() != Thread.State.WAITING && deploy.isAlive()) {
            Thread.sleep(5);
        }

        deploy.interrupt();
        deploy.join(10_000);

        assertThat(thrown.get())
                .isInstanceOf(RunStoppedException.class)
                .hasMessageContaining("stopped while its checkout was made (interrupted)");
        assertThat(SlowPlanProfile.interrupted).isTrue();
        assertThat(planThreads()).isEmpty();
    }

    private RunSetup setup(String recipe, String runId) throws Exception {
        return setup(recipe, runId, c -> c);
    }

    private RunSetup setup(String recipe, String runId, UnaryOperator<RunConfig> adjust) throws Exception {
        return setup(recipe, runId, adjust, System.out);
    }

    private RunSetup setup(String recipe, String runId, UnaryOperator<RunConfig> adjust, PrintStream console)
            throws Exception {
        RunConfig config = RunConfig.of(
                        new RecipeName(recipe),
                        RunPaths.under(home).withLockDir(Files.createDirectories(home.resolve("locks"))))
                .withDriver(DriverSettings.named("fake"))
                .withRunId(new RunId(runId));
        RunSetup setup = RunSetup.prepare(adjust.apply(config), new RunSecrets(), Map.of(), Optional.empty(), console);
        setups.add(setup);
        return setup;
    }

    private static List<Thread> planThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("recipe-ci-plan") && t.isAlive())
                .toList();
    }

    private void catalogue(String recipe) throws Exception {
        Path repo = Files.createDirectories(home.resolve("recipes").resolve(recipe));
        Files.writeString(repo.resolve("compose.yml"), "version: \"3.8\"\nservices: {app: {image: x}}\n");
        Files.writeString(repo.resolve(".env.sample"), "TYPE=" + recipe + "\nDOMAIN=x.example.org\n");
        RecipeExtensionIT.git(repo, "init", "-q", "-b", "main");
        RecipeExtensionIT.git(repo, "add", ".");
        RecipeExtensionIT.git(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "release");
        RecipeExtensionIT.git(repo, "tag", "1.0.0+1.0");
    }
}

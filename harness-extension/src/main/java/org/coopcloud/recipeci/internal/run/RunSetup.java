package org.coopcloud.recipeci.internal.run;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDrivers;
import org.coopcloud.recipeci.internal.deploy.DriverContext;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.lock.RunnerId;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.GitCredentials;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.report.ResultsFiles;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.coopcloud.recipeci.internal.text.FailureText;

/**
 * A run's start, done once: the run directory claimed, the git token read, the deploy driver made and its target
 * checked. The entrypoint prepares it before any test is discovered and hands it to the extension through the
 * launcher session; an IDE or Surefire run, which has no entrypoint, prepares it in the extension. The facts of the
 * finished run come back through it ({@link #facts()}).
 *
 * <p>Closing it stops a plan still being made ahead ({@link #planAhead}) and releases the run directory.
 */
public final class RunSetup implements AutoCloseable {
    private final RunConfig config;
    private final RunSecrets secrets;
    private final RunLog log;
    private final CommandRunner runner;
    private final RunDirectory runDir;
    private final GitCredentials credentials;
    private final DeployDriver driver;
    private final RecipeCatalogue catalogue;
    private final Optional<Lifetime> lifetime;
    private final RunnerId runnerId;
    private final AtomicReference<RunFacts> facts = new AtomicReference<>();
    private final AtomicBoolean taken = new AtomicBoolean();
    private final AtomicReference<PlanAhead> planAhead = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<RecipeProfile>> profile = new AtomicReference<>();

    private RunSetup(
            RunConfig config,
            RunSecrets secrets,
            RunLog log,
            CommandRunner runner,
            RunDirectory runDir,
            GitCredentials credentials,
            DeployDriver driver,
            Optional<Lifetime> lifetime,
            RunnerId runnerId) {
        this.config = config;
        this.secrets = secrets;
        this.log = log;
        this.runner = runner;
        this.runDir = runDir;
        this.credentials = credentials;
        this.driver = driver;
        this.catalogue = new RecipeCatalogue(config.paths().home(), runner, credentials);
        this.lifetime = lifetime;
        this.runnerId = runnerId;
    }

    /**
     * Claims the run directory, checks the lock directory, reads the git token and checks the deploy target.
     *
     * @param lifetime the entrypoint's guards; empty in IDE and Surefire runs
     * @throws RecipeConfigurationException when any of it fails; nothing is left claimed then
     */
    public static RunSetup prepare(
            RunConfig config,
            RunSecrets secrets,
            Map<String, String> env,
            Optional<Lifetime> lifetime,
            PrintStream console) {
        // Before anything is written into it: a second live run with the same id must not touch it.
        RunDirectory runDir = RunDirectory.claim(config.runDir());
        try {
            try {
                ResultsFiles.reset(config.runDir());
            } catch (IOException e) {
                throw new RecipeConfigurationException("cannot clear what an earlier run " + config.runId()
                        + " left in " + config.runDir() + ": " + e.getMessage()
                        + " — give this run its own id (recipeci.run-id) or remove the directory");
            }
            AppLock.requireLockDirectory(config.paths().lockDir());
            RunLog log = new RunLog(console, Optional.of(config.runDir().resolve("logs")), secrets::redact);
            CommandRunner runner = new CommandRunner(Duration.ofSeconds(5), log::command);
            GitCredentials credentials = GitCredentials.resolve(config.code(), env);
            credentials.token().ifPresent(secrets::remember);
            DeployDriver driver = DeployDrivers.create(new DriverContext(config, runner, log, secrets));
            check(config, driver);
            return new RunSetup(
                    config,
                    secrets,
                    log,
                    runner,
                    runDir,
                    credentials,
                    driver,
                    lifetime,
                    RunnerId.of(config.paths().lockDir()));
        } catch (RuntimeException e) {
            runDir.close();
            throw e;
        }
    }

    /** The deploy driver exists and its target is usable (abra installed, a server configured, a swarm). */
    private static void check(RunConfig config, DeployDriver driver) {
        try {
            driver.checkEnvironment();
        } catch (RecipeConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecipeConfigurationException(
                    "cannot check the deploy target of driver '"
                            + config.driver().name() + "' ("
                            + FailureText.firstMeaningfulLine(e) + ")",
                    e);
        }
    }

    /**
     * The recipe and the requested version or ref exist (in the catalogue, or in {@code recipeci.src} with the
     * run's git token); any failure on the way is the host's configuration.
     *
     * @return the commit the run tests (a pull request's status goes on it), when it can be named before checkout
     */
    public Optional<String> checkCodeUnderTest() {
        try {
            return catalogue.validate(config.code());
        } catch (RecipeConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecipeConfigurationException(
                    "cannot read the recipe catalogue " + catalogue.recipesDir() + " ("
                            + FailureText.firstMeaningfulLine(e) + "): check"
                            + " that git is installed and the recipe's repository is readable",
                    e);
        }
    }

    /**
     * Starts making the run's plan (checkout, validation, lint) on a thread of its own, while the entrypoint has JUnit
     * discover the tiers; the first tier's deploy takes it. Creates nothing on the swarm. Once per setup; nothing with
     * a driver whose teardowns use the run's checkout directory (abra's: the janitor's reaps must come first).
     */
    public void planAhead() {
        if (!driver.mayPlanAhead()) {
            return;
        }
        if (!planAhead.compareAndSet(null, PlanAhead.start(this))) {
            throw new IllegalStateException("the plan of run " + config.runId() + " is already being made");
        }
        if (stopped().isPresent()) {
            cancelPlanAhead(); // a stop that came before the plan existed found nothing to interrupt
        }
    }

    /**
     * Waits for the plan made ahead: the answer gives it, or throws what making it threw. Empty when none was started
     * (IDE and Surefire runs, abra's driver): the deploy makes it in place.
     */
    Optional<Supplier<RunPlan>> awaitPlan() {
        return Optional.ofNullable(planAhead.get())
                .map(p -> p.await(() -> stopped().orElse("interrupted")));
    }

    /** A stop (signal, deadline): interrupts a plan still being made, without waiting for it. */
    public void cancelPlanAhead() {
        Optional.ofNullable(planAhead.get()).ifPresent(PlanAhead::cancel);
    }

    /** Stops a plan still being made and waits for its thread to end (the teardown funnel, the setup's close). */
    void stopPlanAhead() {
        Optional.ofNullable(planAhead.get()).ifPresent(PlanAhead::stop);
    }

    /**
     * The recipe's profile, made once for the run: the plan made ahead and the run's tiers share the instance (a
     * profile may keep what its hooks did for its tests to read). A profile that cannot be made fails every caller
     * with the same error; a caller waiting for another thread to make it can be interrupted.
     */
    RecipeProfile profile() {
        CompletableFuture<RecipeProfile> mine = new CompletableFuture<>();
        CompletableFuture<RecipeProfile> made = profile.compareAndExchange(null, mine);
        if (made == null) {
            made = mine;
            try {
                mine.complete(Profiles.forRecipe(config.recipe()));
            } catch (RuntimeException | Error e) {
                if (Thread.currentThread().isInterrupted()) {
                    // A stop cut the profile's own code short: not the profile's failure, and not remembered.
                    profile.set(null);
                    RunStoppedException stop = stoppedReadingProfile(e);
                    mine.completeExceptionally(stop);
                    throw stop;
                }
                mine.completeExceptionally(e);
            }
        }
        try {
            return made.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stoppedReadingProfile(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private RunStoppedException stoppedReadingProfile(Throwable cause) {
        return new RunStoppedException(
                "not deployed: the run was stopped while the profile of recipe '" + config.recipe() + "' was read ("
                        + stopped().orElse("interrupted") + ")",
                cause);
    }

    public RunConfig config() {
        return config;
    }

    public RunSecrets secrets() {
        return secrets;
    }

    public RunLog log() {
        return log;
    }

    public RecipeCatalogue catalogue() {
        return catalogue;
    }

    CommandRunner runner() {
        return runner;
    }

    RunDirectory runDir() {
        return runDir;
    }

    DeployDriver driver() {
        return driver;
    }

    public Optional<Lifetime> lifetime() {
        return lifetime;
    }

    /** This run's runner: this host and its lock directory. */
    public RunnerId runnerId() {
        return runnerId;
    }

    /**
     * The deploy-once guard: one setup serves one {@link RecipeRun}. A second run on it would deploy a second app that
     * nobody tears down — a harness bug, refused loudly.
     */
    void takeForRun() {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("run " + config.runId() + " already deployed from this setup: one setup"
                    + " serves one RecipeRun (a second would deploy a second app) — a recipe-ci bug, please report it");
        }
    }

    /** Whether a signal or the deadline has stopped the run. */
    public Optional<String> stopped() {
        return lifetime.filter(Lifetime::cancelled).map(Lifetime::cause);
    }

    void publish(RunFacts closed) {
        facts.set(closed);
    }

    /** What the closed run knew that the test results do not; empty while it runs, or when it never started. */
    public Optional<RunFacts> facts() {
        return Optional.ofNullable(facts.get());
    }

    /**
     * Stops a plan still being made (the run was stopped or refused before a tier took it), then releases the run
     * directory.
     */
    @Override
    public void close() {
        stopPlanAhead();
        runDir.close();
    }
}

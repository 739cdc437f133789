package org.coopcloud.recipeci.internal.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverFactory;
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.lock.Janitor;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.GitCredentials;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;

/**
 * One recipe run: deploys the app once, on first demand, and tears it down when closed. Lives in the root
 * {@link org.junit.jupiter.api.extension.ExtensionContext.Store}, so JUnit closes it once after the last tier class
 * — also when tests or the deploy failed, and when the entrypoint's lifetime guards cancelled the run. It is stored
 * before anything is deployed, so a deploy that fails half-way is still torn down; the failure is remembered and
 * every later class fails with it instead of deploying again.
 *
 * <p>The start sequence: swarm check → claim the run directory → janitor → checkout → app domain → compose check →
 * app-domain lock (held until teardown is done) → create → deploy → healthy.
 */
public final class RecipeRun implements AutoCloseable {
    private enum State {
        NEW,
        DEPLOYED,
        FAILED,
        CLOSED
    }

    private final RunConfig config;
    private final RunLog log;
    private final CommandRunner runner;
    private final DeployDriver driver;
    private final RecipeCatalogue catalogue;
    private final GeneratedSecrets secrets;
    private DeployCounter deploys = new DeployCounter(0);
    private Dependencies dependencies = Dependencies.none();

    private State state = State.NEW;
    private RuntimeException failure;
    private AppDomain createdDomain;
    private AppLock lock;
    private LiveApp app;
    private AppInstance createdInstance;
    private Thread shutdownHook;
    private Stage deployOwner;
    private RecipeProfile profile;
    private RecipeSource underTest;
    private Optional<RecipeSource> upgradeFrom = Optional.empty();
    private TierOperations operations;
    private List<String> lint;
    private boolean testsFailed;
    private TierGate gate;

    RecipeRun(
            RunConfig config,
            GeneratedSecrets secrets,
            RunLog log,
            CommandRunner runner,
            DeployDriver driver,
            RecipeCatalogue catalogue) {
        this.config = config;
        this.secrets = secrets;
        this.log = log;
        this.runner = runner;
        this.driver = driver;
        this.catalogue = catalogue;
    }

    /** A run with the real parts: the command runner, the swarm driver, the local catalogue. No side effects yet. */
    public static RecipeRun open(RunConfig config) {
        GeneratedSecrets secrets = new GeneratedSecrets();
        RunLog log = new RunLog(System.out, Optional.of(config.runDir().resolve("logs")), secrets::redact);
        CommandRunner runner = new CommandRunner(Duration.ofSeconds(5), log::command);
        DeployDriver driver = DeployDriverFactory.forRun(config, runner, log);
        GitCredentials credentials = GitCredentials.resolve(config, System.getenv());
        credentials.token().ifPresent(secrets::remember);
        return new RecipeRun(
                config, secrets, log, runner, driver, new RecipeCatalogue(config.home(), runner, credentials));
    }

    public RunConfig config() {
        return config;
    }

    /**
     * The deployed app; deploys it on the first call.
     *
     * @throws RecipeConfigurationException when the run is misconfigured (nothing deployed)
     * @throws DeployFailedException when the deploy failed, now or in an earlier class
     */
    public synchronized DeployedApp app() {
        switch (state) {
            case DEPLOYED:
                return app;
            case FAILED:
                // A fresh exception per caller, same message: every test of every tier reports the real cause.
                throw failure instanceof RecipeConfigurationException
                        ? new RecipeConfigurationException(failure.getMessage(), failure)
                        : failure instanceof DeployFailedException
                                ? new DeployFailedException(failure.getMessage(), failure)
                                : new RecipeCiException(failure.getMessage(), failure);
            case CLOSED:
                throw new IllegalStateException("this run is closed: its app was torn down");
            default:
                break;
        }
        try {
            if (Lifetime.current().filter(Lifetime::cancelled).isPresent()) {
                throw new RecipeCiException(
                        "not deployed: " + Lifetime.current().get().cause());
            }
            armShutdownHookUnlessGuarded();
            app = deploy();
            state = State.DEPLOYED;
            return app;
        } catch (RecipeCiException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            state = State.FAILED;
            // Not a verdict on the recipe: a harness problem, reported as such (unverified).
            failure = new RecipeCiException("recipe-ci failed while deploying '" + config.recipe() + "': " + e, e);
            throw failure;
        }
    }

    /**
     * Makes the run ready for a tier class of {@code stage}: the app deployed, and the tier's operation done (once).
     * A tier the profile declares not applicable, or whose install failed, is skipped here; the rest is the
     * {@link TierGate}'s.
     *
     * @throws RecipeConfigurationException when the run is misconfigured
     * @throws DeployFailedException when the deploy or this tier's operation failed
     */
    public synchronized void prepare(Stage stage) {
        RecipeProfile profile = profile();
        Optional.ofNullable(profile.notApplicable().get(stage))
                .ifPresent(reason -> TierGate.skip("not applicable: " + reason));
        if (deployOwner == null) {
            deployOwner = stage;
        }
        try {
            app();
        } catch (RecipeConfigurationException e) {
            throw e;
        } catch (RecipeCiException e) {
            if (stage != deployOwner) {
                TierGate.skip("unverified: install failed: " + TierGate.firstLine(e));
            }
            throw e;
        }
        if (gate == null) {
            gate = new TierGate(
                    config, profile, app, underTest, upgradeFrom, operations, driver, secrets, log, this::evidence);
        }
        gate.admit(stage);
    }

    /** A test of this run failed: evidence is kept before teardown. */
    public synchronized void noteTestFailure() {
        testsFailed = true;
    }

    private RecipeProfile profile() {
        if (profile == null) {
            profile = Profiles.forRecipe(config.recipe());
        }
        return profile;
    }

    private LiveApp deploy() {
        log.info("run " + config.runId() + ": recipe " + config.recipe() + ", stages " + config.stages() + ", driver "
                + driver.name() + ", run dir " + config.runDir());
        driver.checkEnvironment();
        RunDirectory runDir = RunDirectory.claim(config.runDir());
        janitor().sweep();
        underTest = catalogue.checkout(
                config, runDir.fresh(driver.checkoutPath(config.recipe()).toString()));
        RecipeProfile profile = profile();
        AppDomain domain = AppDomains.forRun(config.recipe(), config.pr(), underTest.commit(), config.domainSuffix());
        driver.validate(underTest, domain);
        lint = RecipeLint.check(underTest);
        // Deploy once: at the release before the code under test when UPGRADE runs, so the upgrade is real.
        if (config.stages().contains(Stage.UPGRADE) && !profile.notApplicable().containsKey(Stage.UPGRADE)) {
            upgradeFrom =
                    catalogue.upgradeBase(underTest, profile.upgradeBase()).map(v -> catalogue.release(underTest, v));
        }
        RecipeSource first = upgradeFrom.orElse(underTest);
        catalogue.switchTo(first);
        log.info(domain + ": code under test " + underTest.ref() + " @ " + underTest.shortCommit()
                + config.src().map(src -> " from " + src).orElse("") + ", version "
                + underTest.expectedVersionLabel()
                + upgradeFrom
                        .map(f -> "; deploying " + f.ref() + " first, to upgrade from")
                        .orElse(""));
        // The lock comes before the app: a janitor never sees a run app whose lock is free while its run lives.
        lock = AppLock.acquire(config.lockDir(), domain, log);
        log.info(domain + ": app lock held (" + lock.path() + ")");
        reapLeftovers(domain);
        deploys = DeployCounter.forRun(config.runDir(), profile.dependencies().size());
        deploys.recordCreation(domain);
        createdDomain = domain;
        operations = new TierOperations(log, driver, catalogue, secrets, runDir);
        dependencies = Dependencies.deploy(profile, domain, config, driver, catalogue, runDir, secrets, deploys, log);
        operations.recordCreations(deploys.created().size());
        AppInstance instance = driver.create(first, domain, profile.extraEnv(), secrets);
        instance = AppPreparation.installSteps(profile, AppPreparation.overlay(profile, instance, first.workTree()));
        createdInstance = instance;
        // Read live: a second creation anywhere in the run would show in the upgrade's "still one app" check.
        LiveApp live = new LiveApp(instance, first, profile, driver, () -> operations
                .state()
                .withAppCreations(deploys.created().size()));
        live.dependencies(dependencies::get);
        try {
            // One limit for converging and becoming ready together, as the profile documents.
            long deadline = System.nanoTime() + profile.deployTimeout().toNanos();
            driver.deploy(instance, first, profile.deployTimeout());
            live.awaitReady(log, Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
        } catch (RecipeCiException e) {
            // Service logs in the evidence may echo a generated secret: reports must never show one.
            throw new DeployFailedException(secrets.redact(e.getMessage() + evidence(domain, e)));
        }
        log.info(domain + ": deployed and healthy at " + instance.baseUrl());
        return live;
    }

    /**
     * With the domain's lock held, anything of the domain on the swarm belongs to a run that is gone (it died while
     * this one waited for the lock, or its reap left residue): remove it before creating anything.
     */
    private void reapLeftovers(AppDomain domain) {
        List<String> found = driver.leftovers(domain);
        if (found.isEmpty()) {
            return;
        }
        log.warn(domain + ": a dead run left " + String.join(", ", found) + " — removing it before creating the app");
        List<String> left = driver.teardown(domain);
        if (!left.isEmpty()) {
            throw new DeployFailedException("cannot create " + domain + ": a dead run's " + String.join(", ", left)
                    + " cannot be removed — remove it by hand (docker stack rm / volume rm / secret rm)");
        }
    }

    Janitor janitor() {
        return new Janitor(
                config.lockDir(),
                AppDomains.runAppPattern(config.domainSuffix()),
                // Other runs may have the default 60-minute deadline even when this one is shorter.
                java.util.Collections.max(List.of(config.deadline(), Duration.ofMinutes(60)))
                        .multipliedBy(2),
                driver::listApps,
                driver::teardown,
                log);
    }

    private String evidence(AppDomain domain, RecipeCiException e) {
        return e.getMessage().contains("tasks:") ? "" : "\ntasks:\n" + driver.taskTable(domain);
    }

    /**
     * The teardown funnel: stops running children, tears the app down (unless there is none), checks that nothing
     * is left, then unlinks and releases the app lock. Signals during it are ignored.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        Lifetime.current().ifPresentOrElse(Lifetime::beginTeardown, Thread::interrupted);
        disarmShutdownHook();
        runner.terminateAll();
        try {
            tearDown();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private void tearDown() {
        if (createdDomain == null) {
            log.info("run " + config.runId() + ": nothing was created, nothing to tear down");
            publishFacts(true, List.of());
            return;
        }
        if (config.keepOnFailure() && (failure != null || testsFailed || operationFailed())) {
            publishFacts(false, List.of("kept for debugging: " + createdDomain));
            log.warn(createdDomain + ": kept for debugging (recipeci.keep-on-failure=true); the next run's janitor"
                    + " reaps it, or remove it with `docker stack rm " + createdDomain.stackName() + "` and its"
                    + " volumes and secrets");
            return;
        }
        AppInstance current = app != null ? app.instance() : createdInstance;
        if (current != null && (testsFailed || failure != null || operationFailed())) {
            Evidence.save(config.runDir().resolve("evidence"), current, driver, secrets, log);
        }
        log.info(createdDomain + ": tearing down");
        List<String> left = new java.util.ArrayList<>(driver.teardown(createdDomain));
        left.addAll(dependencies.tearDown(driver, log));
        publishFacts(left.isEmpty(), left);
        if (!left.isEmpty()) {
            // The lockfile stays: the next janitor finds the leftovers and retries.
            throw new RecipeCiException("teardown of " + createdDomain + " left " + left.size() + " thing(s) behind: "
                    + String.join(", ", left) + " — remove them by hand (docker stack rm / volume rm / secret rm) and"
                    + " report this as a recipe-ci bug");
        }
        lock.unlink();
        log.info(createdDomain + ": teardown clean — no stack, volume, secret, config, network or env file left");
    }

    private boolean operationFailed() {
        return gate != null && gate.anyOperationFailed();
    }

    private void publishFacts(boolean clean, List<String> left) {
        RunFacts.publish(new RunFacts(
                Optional.ofNullable(createdDomain).map(AppDomain::value),
                clean,
                left,
                Optional.ofNullable(lint),
                upgradeFrom.or(() -> Optional.ofNullable(underTest)).map(RecipeSource::expectedVersionLabel),
                Optional.ofNullable(underTest).map(RecipeSource::expectedVersionLabel),
                Optional.ofNullable(underTest).map(s -> s.ref() + "@" + s.shortCommit()),
                operations == null ? org.coopcloud.recipeci.OperationState.initial() : operations.state(),
                secrets.values()));
    }

    /**
     * Outside the entrypoint (IDE, Surefire) nothing funnels SIGTERM or Ctrl-C into teardown; a shutdown hook
     * does: it stops the run's children and tears the app down before the JVM exits.
     */
    private void armShutdownHookUnlessGuarded() {
        if (Lifetime.current().isPresent() || shutdownHook != null) {
            return;
        }
        Thread owner = Thread.currentThread();
        shutdownHook = new Thread(
                () -> {
                    log.warn("JVM shutting down — stopping the run and tearing down");
                    owner.interrupt();
                    runner.terminateAll();
                    close();
                },
                "recipe-ci-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void disarmShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running or about to.
            }
        }
    }
}

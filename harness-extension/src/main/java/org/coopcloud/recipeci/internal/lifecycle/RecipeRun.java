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
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverFactory;
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.lock.Janitor;
import org.coopcloud.recipeci.internal.process.CommandRunner;
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
    private final DeployCounter deploys = new DeployCounter(0);

    private State state = State.NEW;
    private RuntimeException failure;
    private AppDomain createdDomain;
    private AppLock lock;
    private LiveApp app;
    private Thread shutdownHook;

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
        return new RecipeRun(config, secrets, log, runner, driver, new RecipeCatalogue(config.home(), runner));
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
                        : new DeployFailedException(failure.getMessage(), failure);
            case CLOSED:
                throw new IllegalStateException("this run is closed: its app was torn down");
            default:
                break;
        }
        try {
            if (Lifetime.current().filter(Lifetime::cancelled).isPresent()) {
                throw new DeployFailedException(
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
            failure = new DeployFailedException("deploy of recipe '" + config.recipe() + "' failed: " + e, e);
            throw failure;
        }
    }

    private LiveApp deploy() {
        log.info("run " + config.runId() + ": recipe " + config.recipe() + ", stages " + config.stages() + ", driver "
                + driver.name() + ", run dir " + config.runDir());
        driver.checkEnvironment();
        RunDirectory runDir = RunDirectory.claim(config.runDir());
        janitor().sweep();
        RecipeSource source = catalogue.checkout(
                config, runDir.fresh("recipes", config.recipe().value()));
        RecipeProfile profile = Profiles.forRecipe(config.recipe());
        AppDomain domain = AppDomains.forRun(config.recipe(), config.pr(), source.commit(), config.domainSuffix());
        driver.validate(source, domain);
        log.info(domain + ": code under test " + source.ref() + " @ " + source.shortCommit() + ", version "
                + source.expectedVersionLabel());
        // The lock comes before the app: a janitor never sees a run app whose lock is free while its run lives.
        lock = AppLock.acquire(config.lockDir(), domain, log);
        log.info(domain + ": app lock held (" + lock.path() + ")");
        deploys.recordCreation(domain);
        createdDomain = domain;
        AppInstance instance = driver.create(source, domain, secrets);
        LiveApp live = new LiveApp(instance, source, profile, driver);
        try {
            // One limit for converging and becoming healthy together, as the profile documents.
            long deadline = System.nanoTime() + profile.deployTimeout().toNanos();
            driver.deploy(instance, source, profile.deployTimeout());
            live.awaitHealthy(log, Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
        } catch (RecipeCiException e) {
            // Service logs in the evidence may echo a generated secret: reports must never show one.
            throw new DeployFailedException(secrets.redact(e.getMessage() + evidence(domain, e)));
        }
        log.info(domain + ": deployed and healthy at " + instance.baseUrl());
        return live;
    }

    Janitor janitor() {
        return new Janitor(
                config.lockDir(),
                AppDomains.runAppPattern(config.domainSuffix()),
                config.deadline().multipliedBy(2),
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
            return;
        }
        if (config.keepOnFailure() && failure != null) {
            log.warn(createdDomain + ": kept for debugging (recipeci.keep-on-failure=true); the next run's janitor"
                    + " reaps it, or remove it with `docker stack rm " + createdDomain.stackName() + "` and its"
                    + " volumes and secrets");
            return;
        }
        log.info(createdDomain + ": tearing down");
        List<String> left = driver.teardown(createdDomain);
        if (!left.isEmpty()) {
            // The lockfile stays: the next janitor finds the leftovers and retries.
            throw new RecipeCiException("teardown of " + createdDomain + " left " + left.size() + " thing(s) behind: "
                    + String.join(", ", left) + " — remove them by hand (docker stack rm / volume rm / secret rm) and"
                    + " report this as a recipe-ci bug");
        }
        lock.unlink();
        log.info(createdDomain + ": teardown clean — no stack, volume, secret, config, network or env file left");
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

package org.coopcloud.recipeci.internal.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.deploy.swarm.SwarmDriver;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;

/**
 * One recipe run: deploys the app once, on first demand, and tears it down when closed. Lives in the root
 * {@link org.junit.jupiter.api.extension.ExtensionContext.Store}, so JUnit closes it once after the last tier class
 * — also when tests or the deploy failed. It is stored before anything is deployed, so a deploy that fails half-way
 * is still torn down; the failure is remembered and every later class fails with it instead of deploying again.
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
    private final GeneratedSecrets secrets = new GeneratedSecrets();

    private State state = State.NEW;
    private RuntimeException failure;
    private AppDomain createdDomain;
    private LiveApp app;

    RecipeRun(RunConfig config, RunLog log, CommandRunner runner, DeployDriver driver, RecipeCatalogue catalogue) {
        this.config = config;
        this.log = log;
        this.runner = runner;
        this.driver = driver;
        this.catalogue = catalogue;
    }

    /** A run with the real parts: the command runner, the swarm driver, the local catalogue. No side effects yet. */
    public static RecipeRun open(RunConfig config) {
        RunLog log = new RunLog(System.out, Optional.of(config.runDir().resolve("logs")));
        CommandRunner runner = new CommandRunner(Duration.ofSeconds(5), log::command);
        DeployDriver driver =
                new SwarmDriver(runner, log, config.home().resolve("servers").resolve("local"));
        return new RecipeRun(config, log, runner, driver, new RecipeCatalogue(config.home(), runner));
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
        RecipeSource source = catalogue.checkout(
                config,
                freshDir(config.runDir()
                        .resolve("recipes")
                        .resolve(config.recipe().value())));
        RecipeProfile profile = Profiles.forRecipe(config.recipe());
        AppDomain domain = AppDomains.forRun(config.recipe(), config.pr(), source.commit(), config.domainSuffix());
        driver.validate(source, domain);
        log.info(domain + ": code under test " + source.ref() + " @ " + source.shortCommit() + ", version "
                + source.expectedVersionLabel());
        createdDomain = domain;
        AppInstance instance = driver.create(source, domain, secrets);
        LiveApp live = new LiveApp(instance, source, profile, driver);
        try {
            driver.deploy(instance, source, profile.deployTimeout());
            live.awaitHealthy(log);
        } catch (RecipeCiException e) {
            throw new DeployFailedException(e.getMessage() + evidence(domain, e), e);
        }
        log.info(domain + ": deployed and healthy at " + instance.baseUrl());
        return live;
    }

    private String evidence(AppDomain domain, RecipeCiException e) {
        return e.getMessage().contains("tasks:") ? "" : "\ntasks:\n" + driver.taskTable(domain);
    }

    /** Tears the app down (unless there is none) and checks that nothing is left. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        runner.terminateAll();
        if (createdDomain == null) {
            log.info("run " + config.runId() + ": nothing was created, nothing to tear down");
            return;
        }
        if (config.keepOnFailure() && failure != null) {
            log.warn(createdDomain + ": kept for debugging (recipeci.keep-on-failure=true); remove it later with"
                    + " `docker stack rm " + createdDomain.stackName() + "` and its volumes and secrets");
            return;
        }
        log.info(createdDomain + ": tearing down");
        List<String> left = driver.teardown(createdDomain);
        if (!left.isEmpty()) {
            throw new RecipeCiException("teardown of " + createdDomain + " left " + left.size() + " thing(s) behind: "
                    + String.join(", ", left) + " — remove them by hand (docker stack rm / volume rm / secret rm) and"
                    + " report this as a recipe-ci bug");
        }
        log.info(createdDomain + ": teardown clean — no stack, volume, secret, config, network or env file left");
    }

    private static Path freshDir(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (var paths = Files.walk(dir)) {
                    for (Path p :
                            paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new RecipeConfigurationException(
                    "cannot clear " + dir + " for the recipe checkout: " + e.getMessage(), e);
        }
    }
}

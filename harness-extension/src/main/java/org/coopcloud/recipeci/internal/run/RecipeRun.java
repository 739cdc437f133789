package org.coopcloud.recipeci.internal.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.HostFaultException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;
import org.coopcloud.recipeci.internal.lock.Janitor;
import org.coopcloud.recipeci.internal.os.HostFaults;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.text.FailureText;
import org.coopcloud.recipeci.internal.wait.Deadline;
import org.coopcloud.recipeci.internal.wait.NamedWait;

/**
 * One recipe run: deploys the app once, for the first tier class, and tears it down when closed. Lives in the root
 * {@link org.junit.jupiter.api.extension.ExtensionContext.Store}, so JUnit closes it once after the last tier class
 * — also when tests or the deploy failed, and when the entrypoint's lifetime guards cancelled the run. It is stored
 * before anything is deployed, so a deploy that fails half-way is still torn down; the failure is remembered and
 * every later class fails with it instead of deploying again.
 *
 * <p>The start sequence: the run's setup (handed over by the entrypoint, or prepared here) → the plan made ahead
 * waited for (the entrypoint makes it while JUnit discovers the tiers) → janitor → checkout and plan (the one made
 * ahead, or made here) → app-domain lock (held until teardown is done) → dependencies → create → deploy → ready.
 */
public final class RecipeRun implements AutoCloseable {
    private enum State {
        NEW,
        DEPLOYED,
        FAILED,
        CLOSED
    }

    private final RunConfig config;
    private final Supplier<RunSetup> start;
    private final boolean ownsSetup;
    private RecipeProfile profile;
    private RunSetup setup;
    private State state = State.NEW;
    private RuntimeException failure;
    private Stage deployOwner;
    private RunPlan plan;
    private AppDeployment app;
    private Dependencies dependencies = Dependencies.none();
    private TierOperations operations;
    private TierGate gate;
    private boolean testsFailed;
    private Thread shutdownHook;
    private Janitor.Tidying tidying;

    private RecipeRun(RunConfig config, Supplier<RunSetup> start, boolean ownsSetup) {
        this.config = config;
        this.start = start;
        this.ownsSetup = ownsSetup;
    }

    /** A run on the setup the entrypoint prepared (and will close). No side effects yet. */
    public static RecipeRun on(RunSetup setup) {
        return new RecipeRun(setup.config(), () -> setup, false);
    }

    /** A run that prepares its own setup when it starts (IDE and Surefire runs). No side effects yet. */
    public static RecipeRun preparing(RunConfig config, Supplier<RunSetup> prepare) {
        return new RecipeRun(config, prepare, true);
    }

    public RunConfig config() {
        return config;
    }

    /**
     * Makes the run ready for a tier class of {@code stage}: the app deployed (once, by the first class), and the
     * tier's operation done (once). A tier the profile declares not applicable, or whose install failed, is skipped
     * here; the rest is the {@link TierGate}'s.
     *
     * @throws RecipeConfigurationException when the run is misconfigured (nothing deployed)
     * @throws DeployFailedException when the deploy or this tier's operation failed
     */
    public synchronized void prepare(Stage stage) {
        Optional.ofNullable(profile().notApplicable().get(stage))
                .ifPresent(reason -> TierGate.skip("not applicable: " + reason));
        if (stage == Stage.RESTORE) {
            // Before anything is deployed: a restore of a backup the profile rules out would run its hooks after all.
            Optional.ofNullable(profile().notApplicable().get(Stage.BACKUP))
                    .ifPresent(reason -> TierGate.skip(
                            "not applicable: restore needs a backup, and backup is not applicable: " + reason));
        }
        if (deployOwner == null) {
            deployOwner = stage;
        }
        try {
            deployOnce();
        } catch (RecipeConfigurationException e) {
            throw e;
        } catch (RecipeCiException e) {
            if (stage != deployOwner) {
                TierGate.skip("unverified: install failed: " + FailureText.firstMeaningfulLine(e));
            }
            throw e;
        }
        gate.admit(stage);
    }

    private RecipeProfile profile() {
        if (profile == null) {
            // The entrypoint's setup holds the run's one profile, which its plan made ahead has too; a run that
            // prepares its own setup (IDE, Surefire) makes it here, before the setup exists.
            profile = ownsSetup
                    ? Profiles.forRecipe(config.recipe())
                    : start.get().profile();
        }
        return profile;
    }

    /**
     * The deployed app.
     *
     * @throws DeployFailedException when the deploy failed
     * @throws IllegalStateException before the run deployed, or after it closed
     */
    public synchronized DeployedApp app() {
        requireStarted();
        return app.app();
    }

    /** What the tier operations did, for the generic tiers. */
    public synchronized TierRecord record() {
        requireStarted();
        return new TierRecord(operations);
    }

    private void requireStarted() {
        if (state == State.NEW) {
            throw new IllegalStateException("the run has not deployed yet: prepare(stage) comes first");
        }
        deployOnce(); // answers the deploy's outcome
    }

    /** A test of this run failed: evidence is kept before teardown. */
    public synchronized void noteTestFailure() {
        testsFailed = true;
    }

    /** Deploys on the first call; later calls answer what the first one did (also its failure). */
    private void deployOnce() {
        switch (state) {
            case DEPLOYED:
                return;
            case FAILED:
                // A fresh exception per caller, same message: every test of every tier reports the real cause.
                throw failure instanceof RecipeConfigurationException
                        ? new RecipeConfigurationException(failure.getMessage(), failure)
                        : failure instanceof DeployFailedException
                                ? new DeployFailedException(failure.getMessage(), failure)
                                : failure instanceof HostFaultException
                                        ? new HostFaultException(failure.getMessage(), failure)
                                        : failure instanceof RunStoppedException
                                                ? new RunStoppedException(failure.getMessage(), failure)
                                                : new RecipeCiException(failure.getMessage(), failure);
            case CLOSED:
                throw new IllegalStateException("this run is closed: its app was torn down");
            default:
                break;
        }
        try {
            setup = start.get();
            setup.takeForRun();
            armShutdownHookUnlessGuarded();
            stopIfStopped("before anything was deployed");
            deploy();
            state = State.DEPLOYED;
        } catch (RuntimeException e) {
            state = State.FAILED;
            failure = classified(e);
            throw failure;
        }
    }

    /**
     * What a failure of the deploy means: the run was stopped (whatever it interrupted), the host failed, the
     * configuration is wrong, the app failed (a verdict, with the task table), or recipe-ci failed (unverified).
     */
    private RuntimeException classified(RuntimeException e) {
        if (e instanceof RunStoppedException
                || stopped().isPresent()
                || Thread.currentThread().isInterrupted()) {
            return e instanceof RunStoppedException
                    ? e
                    : new RunStoppedException(
                            "not deployed: the run was stopped (" + stopped().orElse("interrupted") + ")", e);
        }
        RuntimeException host = HostFaults.classify(e);
        if (host != e) {
            return host;
        }
        if (e instanceof RecipeConfigurationException || e instanceof HostFaultException) {
            return e;
        }
        if (e instanceof DeployFailedException || e instanceof NamedWait.TimeoutException) {
            // Service logs in the evidence may echo a generated secret: reports must never show one.
            String tasks =
                    plan == null || e.getMessage().contains("tasks:") ? "" : "\ntasks:\n" + taskTable(plan.domain());
            return new DeployFailedException(setup.secrets().redact(e.getMessage() + tasks), e);
        }
        // Not a verdict on the recipe: a harness problem, reported as such (unverified).
        return e instanceof RecipeCiException ? e : new RecipeCiException("recipe-ci failed while deploying: " + e, e);
    }

    private String taskTable(AppDomain domain) {
        try {
            return setup.driver().view().taskTable(domain);
        } catch (RuntimeException e) {
            return "  (cannot list them: " + FailureText.firstMeaningfulLine(e) + ")";
        }
    }

    /** Why the run was stopped (signal, deadline), if it was. */
    private Optional<String> stopped() {
        return setup == null ? Optional.empty() : setup.stopped();
    }

    /** A stopped run goes no further: checked between the steps of the start, which are not all interruptible. */
    private void stopIfStopped(String where) {
        Optional<String> why = stopped();
        if (why.isPresent() || Thread.currentThread().isInterrupted()) {
            throw new RunStoppedException(
                    "not deployed: the run was stopped " + where + " (" + why.orElse("interrupted") + ")");
        }
    }

    private void deploy() {
        setup.log()
                .info("run " + config.runId() + ": recipe " + config.recipe() + ", stages " + config.stages()
                        + ", driver " + config.driver().name() + ", run dir " + config.runDir());
        // A plan made ahead (the entrypoint starts it while JUnit discovers the tiers) is waited for before the
        // janitor, whose budget holds every command of the run; what making it threw is thrown after the janitor,
        // where a plan made here would throw it.
        Optional<Supplier<RunPlan>> ahead = setup.awaitPlan();
        try (CommandRunner.Scope bounded = setup.runner()
                .limitTo(
                        Deadline.in(config.teardownBudget()),
                        "the janitor's budget of " + config.teardownBudget().toSeconds() + " s")) {
            Janitor janitor = janitor();
            tidying = janitor.tidyInBackground(janitor.sweep());
        }
        stopIfStopped("after the janitor");
        plan = ahead.map(Supplier::get).orElseGet(() -> RunPlan.make(setup, profile(), setup.log()::info));
        if (ahead.isPresent()) {
            setup.log()
                    .detail(plan.domain() + ": checkout, compose check and lint made while JUnit discovered the tiers");
        }
        stopIfStopped("after the checkout");
        RecipeSource first = plan.first();
        setup.catalogue().switchTo(first);
        RecipeSource underTest = plan.underTest();
        setup.log()
                .info(plan.domain() + ": code under test " + underTest.ref() + " @ " + underTest.shortCommit()
                        + config.code().src().map(src -> " from " + src).orElse("") + ", version "
                        + underTest.expectedVersionLabel()
                        + plan.upgradeFrom()
                                .map(f -> "; deploying " + f.ref() + " first, to upgrade from")
                                .orElse(""));
        RecipeProfile profile = profile();
        DeployCounter counter = new DeployCounter(profile.dependencies().size());
        app = new AppDeployment(plan.domain(), profile, setup, counter);
        operations = new TierOperations(setup, app, counter);
        app.lock();
        stopIfStopped("after the app lock");
        dependencies.deploy(profile, plan.domain(), setup, counter);
        stopIfStopped("after the dependencies");
        LiveApp live = app.install(first);
        live.dependencies(dependencies::get);
        gate = new TierGate(setup, plan, live, operations);
        setup.log()
                .info(plan.domain() + ": deployed and healthy at " + app.app().entrance());
    }

    private Janitor janitor() {
        return new Janitor(
                setup.runnerId(),
                AppDomains.runAppPattern(config.paths().domainSuffix()),
                // Other runs may have the default 60-minute deadline even when this one is shorter.
                Collections.max(List.of(config.deadline(), Duration.ofMinutes(60)))
                        .multipliedBy(2),
                setup.driver()::listApps,
                setup.driver().view()::owners,
                setup.driver()::teardown,
                setup.log());
    }

    /**
     * The teardown funnel: stops running children, tears the app and its dependencies down (unless nothing was
     * created), checks that nothing is left, then unlinks and releases the app locks. Signals during it are ignored.
     * All of it keeps to one budget ({@code recipeci.teardown-budget}): a command that does not answer ends docker's
     * part of the teardown, which then says what it could not remove and leaves it — with the lockfile — to the next
     * run's janitor.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (setup == null) {
            return; // never started: nothing to tear down, nothing to report
        }
        setup.lifetime().ifPresentOrElse(Lifetime::beginTeardown, Thread::interrupted);
        disarmShutdownHook();
        // A plan still being made (the run stopped before its deploy waited for it) ends first: none of its
        // commands runs under the teardown's budget, or after the teardown.
        setup.stopPlanAhead();
        Duration budget = config.teardownBudget();
        try (CommandRunner.Scope bounded =
                setup.runner().limitTo(Deadline.in(budget), "the teardown budget of " + budget.toSeconds() + " s")) {
            setup.runner().terminateAll();
            if (tidying != null) {
                tidying.close();
            }
            tearDown();
        } finally {
            if (ownsSetup) {
                setup.close();
            }
        }
    }

    private void tearDown() {
        if (app == null || !app.locked()) {
            setup.log().info("run " + config.runId() + ": nothing was created, nothing to tear down");
            publishFacts(true, List.of());
            return;
        }
        AppDomain domain = app.domain();
        boolean stoppedEarly = failure instanceof RunStoppedException;
        boolean failed =
                (failure != null && !stoppedEarly) || testsFailed || (gate != null && gate.anyOperationFailed());
        AppInstance current = app.instance();
        if (current != null && failed) {
            // Also for a kept app: the janitor that reaps it later takes its task table and logs along.
            Evidence.save(
                    config.runDir().resolve("evidence"),
                    current,
                    setup.driver().view(),
                    setup.secrets(),
                    setup.log(),
                    Optional.<Throwable>ofNullable(failure)
                            .or(() -> Optional.ofNullable(gate).flatMap(TierGate::firstOperationFailure)));
        }
        if (config.keepOnFailure() && failed) {
            app.keep();
            dependencies.keep();
            publishFacts(false, List.of("kept for debugging: " + domain));
            setup.log()
                    .warn(domain + ": kept for debugging (recipeci.keep-on-failure=true): stack "
                            + domain.stackName() + " with its volumes, secrets and configs"
                            + (current != null ? ", env file " + current.envFile() : "")
                            + ". The next run on this host with lock directory "
                            + config.paths().lockDir()
                            + " and domain suffix " + config.paths().domainSuffix()
                            + " reaps it (its janitor); by hand: docker stack rm " + domain.stackName()
                            + ", then its " + domain.stackName() + "_* volumes, secrets and configs, the env file and"
                            + " its lockfile in " + config.paths().lockDir());
            return;
        }
        if (app.created() || !dependencies.isEmpty()) {
            setup.log().info(domain + ": tearing down");
        }
        List<String> left = new ArrayList<>(app.tearDown());
        left.addAll(dependencies.tearDown(setup));
        publishFacts(left.isEmpty(), left);
        if (!left.isEmpty()) {
            // The lockfile stays: the next janitor finds the leftovers and retries.
            setup.log()
                    .warn("teardown of " + domain + " left " + left.size() + " thing(s) behind: "
                            + String.join(", ", left)
                            + " — the lockfile stays, and the next run's janitor removes them (or remove them by"
                            + " hand: docker stack rm / volume rm / secret rm)");
            if (ownsSetup) {
                // An IDE or Surefire run has no summary that would say so: the test run fails with it.
                throw new RecipeCiException("teardown of " + domain + " left " + left.size() + " thing(s) behind: "
                        + String.join(", ", left) + " — the next run's janitor removes them");
            }
            return;
        }
        if (app.created()) {
            setup.log()
                    .info(domain + ": teardown clean — no stack, volume, secret, config, network, env file or bridge"
                            + " left");
        } else {
            setup.log().info(domain + ": nothing was created; app lock released");
        }
    }

    private void publishFacts(boolean clean, List<String> left) {
        Optional<RunPlan> known = Optional.ofNullable(plan);
        setup.publish(new RunFacts(
                Optional.ofNullable(app).map(a -> a.domain().value()),
                clean,
                left,
                known.map(RunPlan::lint),
                known.map(RunPlan::first).map(RecipeSource::expectedVersionLabel),
                known.map(RunPlan::underTest).map(RecipeSource::expectedVersionLabel),
                known.map(RunPlan::underTest).map(s -> s.ref() + "@" + s.shortCommit())));
    }

    /**
     * Outside the entrypoint (IDE, Surefire) nothing funnels SIGTERM or Ctrl-C into teardown; a shutdown hook
     * does: it stops the run's children and tears the app down before the JVM exits.
     */
    private void armShutdownHookUnlessGuarded() {
        if (setup.lifetime().isPresent() || shutdownHook != null) {
            return;
        }
        Thread owner = Thread.currentThread();
        shutdownHook = new Thread(
                () -> {
                    setup.log().warn("JVM shutting down — stopping the run and tearing down");
                    owner.interrupt();
                    setup.runner().terminateAll();
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

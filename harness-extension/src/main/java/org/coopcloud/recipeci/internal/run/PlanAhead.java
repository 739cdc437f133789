package org.coopcloud.recipeci.internal.run;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;

/**
 * The run's plan ({@link RunPlan#make}: checkout, compose validation, lint, the release to upgrade from) made on a
 * thread of its own while JUnit discovers the tier classes — a quarter of a second in which the entrypoint otherwise
 * only reads class files, and the plan only waits for git and docker. It creates nothing on the swarm and takes no
 * lock. The first tier's deploy waits for it before the janitor (whose budget holds every command of the run), and
 * takes the plan, or what making it threw, after the janitor: as if it had made the plan itself at that point.
 *
 * <p>Its commands go through the run's {@link org.coopcloud.recipeci.internal.process.CommandRunner}, so an
 * interrupt kills the command in flight with its group. A stop interrupts it at once ({@link #cancel}); the setup's
 * close, and the teardown funnel, wait for it to end ({@link #stop}).
 */
final class PlanAhead {
    /**
     * How long a stop waits for the plan's thread: a command killed at the interrupt takes the runner's grace (5 s)
     * and its reaping; profile code that ignores interrupts is not waited for beyond it.
     */
    private static final long STOP_WAIT_MILLIS = 20_000;

    private final CompletableFuture<RunPlan> plan = new CompletableFuture<>();
    /** What making the plan had to say (the lint summary), written to the run log when the deploy takes it. */
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private final RunSetup setup;
    private final Thread thread;
    private volatile boolean stopping;

    private PlanAhead(RunSetup setup) {
        this.setup = setup;
        thread = new Thread(
                () -> {
                    try {
                        RecipeProfile profile = setup.profile();
                        if (stopping) {
                            // A stop whose interrupt the profile's own code swallowed: no command starts after it.
                            throw new RunStoppedException("the run was stopped before its checkout was made");
                        }
                        plan.complete(RunPlan.make(setup, profile, lines::add));
                    } catch (RuntimeException | Error e) {
                        plan.completeExceptionally(e);
                    }
                },
                "recipe-ci-plan");
        thread.setDaemon(true);
    }

    static PlanAhead start(RunSetup setup) {
        PlanAhead ahead = new PlanAhead(setup);
        ahead.thread.start();
        return ahead;
    }

    /**
     * Waits until the plan is made, or failed; the answer writes what making it had to say to the run log, then gives
     * the plan, or throws what making it threw. An interrupt (the run stopped) stops the plan's thread and throws at
     * once.
     *
     * @param why what stopped the run, for the message of an interrupted wait
     */
    Supplier<RunPlan> await(Supplier<String> why) {
        try {
            RunPlan made = plan.get();
            return () -> {
                lines.forEach(setup.log()::info);
                return made;
            };
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new RunStoppedException(
                    "not deployed: the run was stopped while its checkout was made (" + why.get() + ")", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            RuntimeException failure =
                    cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
            return () -> {
                lines.forEach(setup.log()::info); // a plan refused after its lint still says what lint found
                throw failure;
            };
        }
    }

    /** Interrupts the plan's thread if it is still making the plan; does not wait (a signal handler calls it). */
    void cancel() {
        stopping = true;
        if (!plan.isDone()) {
            thread.interrupt();
        }
    }

    /** Interrupts the plan's thread, if it is still making the plan, and waits for it to end. */
    void stop() {
        stopping = true;
        if (!thread.isAlive()) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.coopcloud.recipeci.internal.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;

/**
 * The run's plan ({@link RunPlan#make}: checkout, compose validation, lint, the release to upgrade from) made on a
 * thread of its own while JUnit discovers the tier classes — a quarter of a second in which the entrypoint otherwise
 * only reads class files, and the plan only waits for git and docker. It creates nothing on the swarm and takes no
 * lock: the first tier's deploy takes the plan ({@link #take}) and goes on from there as if it had made it itself,
 * failures included.
 *
 * <p>The janitor runs meanwhile, as it ran before the plan: its budget holds the plan's commands too, and a docker
 * that did not answer the janitor is not asked again by the plan.
 *
 * <p>Its commands go through the run's {@link org.coopcloud.recipeci.internal.process.CommandRunner}, so a stop that
 * interrupts this thread kills the command in flight with its group. {@link #stop} is what the setup's close calls
 * when no tier took the plan (the run was stopped, or refused, during discovery).
 */
final class PlanAhead {
    /** How long a stop waits for the plan's thread: its command in flight is killed at the interrupt. */
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final CompletableFuture<RunPlan> plan = new CompletableFuture<>();
    private final Thread thread;

    private PlanAhead(RunSetup setup) {
        thread = new Thread(
                () -> {
                    try {
                        plan.complete(RunPlan.make(setup, setup.profile()));
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
     * Waits for the plan and returns it, or throws what making it threw. An interrupt (the run stopped) stops the
     * plan's thread first: the caller finds the run stopped.
     */
    RunPlan take() {
        try {
            return plan.get();
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new RunStoppedException("not deployed: the run was stopped while its checkout was made", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Interrupts the plan's thread, if it is still making the plan, and waits for it to end. */
    void stop() {
        if (plan.isDone()) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the plan's thread has ended; for tests. */
    boolean ended() {
        return !thread.isAlive();
    }
}

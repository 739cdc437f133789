package org.coopcloud.recipeci.internal.process;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.coopcloud.recipeci.RecipeCiException;

/**
 * A short task run on a thread of its own while the caller does something else, then waited for: two docker reads
 * that take one round trip instead of two. A thread per task, not a pool's: a command's child dies with the thread
 * that started it (PDEATHSIG), and the task's commands end before its thread does.
 */
public final class Alongside {
    /** How long an interrupted wait still waits for the task's thread: a killed command's grace and reaping. */
    private static final long STOP_WAIT_MILLIS = 20_000;

    private final Thread thread;
    private final CompletableFuture<Optional<RuntimeException>> outcome = new CompletableFuture<>();

    private Alongside(String name, Runnable task) {
        thread = new Thread(
                () -> {
                    try {
                        task.run();
                        outcome.complete(Optional.empty());
                    } catch (RuntimeException e) {
                        outcome.complete(Optional.of(e));
                    } catch (Error e) {
                        outcome.completeExceptionally(e); // thrown by await, on the caller's thread
                    }
                },
                name);
        thread.setDaemon(true);
    }

    /** Starts {@code task} on a thread named {@code name}. */
    public static Alongside start(String name, Runnable task) {
        Alongside alongside = new Alongside(name, task);
        alongside.thread.start();
        return alongside;
    }

    /**
     * Waits for the task to end; what it threw, if anything. An interrupt while waiting interrupts the task (its
     * command in flight is killed), waits for its thread, sets the flag again and answers as a failure that says so.
     */
    public Optional<RuntimeException> await() {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            // The task's command in flight is killed at the interrupt; its thread is waited for (its child's group
            // is reaped before the thread ends), within the runner's kill and reap.
            thread.interrupt();
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException again) {
                // a second stop: stop waiting
            }
            Thread.currentThread().interrupt();
            return Optional.of(new RecipeCiException("interrupted while waiting for " + thread.getName(), e));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits for the task to end, and throws what it threw. */
    public void join() {
        Optional<RuntimeException> failure = await();
        if (failure.isPresent()) {
            throw failure.get();
        }
    }
}

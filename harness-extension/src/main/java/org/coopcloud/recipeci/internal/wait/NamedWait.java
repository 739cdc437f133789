package org.coopcloud.recipeci.internal.wait;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.coopcloud.recipeci.RecipeCiException;

/**
 * A wait with a name, a limit and a fail-fast: polls a probe until it reports done, throws at once when the probe
 * throws (a rejected task, say), and on timeout throws a message that names the wait and the last state seen.
 * Interrupts end the wait immediately.
 *
 * <pre>{@code
 * NamedWait.of("stack x converged", Duration.ofMinutes(5))
 *         .until(() -> probe.check(), status -> log.info(status));
 * }</pre>
 */
public final class NamedWait {
    private final String name;
    private final Duration limit;
    private final Duration interval;
    private final Duration heartbeat;
    private final Pacer pacer;

    private NamedWait(String name, Duration limit, Duration interval, Duration heartbeat, Pacer pacer) {
        this.name = Objects.requireNonNull(name);
        this.limit = limit;
        this.interval = interval;
        this.heartbeat = heartbeat;
        this.pacer = Objects.requireNonNull(pacer);
    }

    public static NamedWait of(String name, Duration limit) {
        return new NamedWait(name, limit, Duration.ofSeconds(1), Duration.ofSeconds(10), Pacer.SLEEP);
    }

    public NamedWait every(Duration newInterval) {
        return new NamedWait(name, limit, newInterval, heartbeat, pacer);
    }

    /** This wait, pausing between polls as {@code newPacer} says instead of sleeping the interval. */
    public NamedWait pacedBy(Pacer newPacer) {
        return new NamedWait(name, limit, interval, heartbeat, newPacer);
    }

    /**
     * What a wait does between two polls. The default sleeps the interval; an event-driven one returns as soon as
     * something the wait is about has changed, and polls at its own safety interval when nothing says so.
     */
    @FunctionalInterface
    public interface Pacer {
        Pacer SLEEP = interval -> Thread.sleep(interval.toMillis());

        /** Returns when the next poll is due; {@code interval} is the wait's own polling interval. */
        void pause(Duration interval) throws InterruptedException;
    }

    /** One observation: a human-readable state and whether the wait is over. */
    public record Poll<T>(String state, Optional<T> value) {
        public static <T> Poll<T> done(String state, T value) {
            return new Poll<>(state, Optional.of(value));
        }

        public static <T> Poll<T> pending(String state) {
            return new Poll<>(state, Optional.empty());
        }
    }

    /** A probe may throw to fail the wait at once. */
    @FunctionalInterface
    public interface Probe<T> {
        Poll<T> poll() throws Exception;
    }

    /** Thrown when the limit passes; the message names the wait and its last state. */
    public static final class TimeoutException extends RecipeCiException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }

    /**
     * Polls until done; {@code progress} sees the state whenever it changes and at least every heartbeat.
     *
     * @throws TimeoutException when the limit passes
     * @throws WaitInterruptedException when the thread is interrupted (the flag is set again)
     */
    public <T> T until(Probe<T> probe, Consumer<String> progress) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        String lastState = null;
        long lastReport = 0;
        while (true) {
            Poll<T> poll;
            try {
                poll = probe.poll();
            } catch (RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitInterruptedException(name);
            } catch (Exception e) {
                throw new RecipeCiException(name + ": " + e.getMessage(), e);
            }
            long now = System.nanoTime();
            String elapsed = (Duration.ofNanos(now - start).toSeconds()) + "s";
            if (poll.value().isPresent()) {
                progress.accept(name + ": " + poll.state() + " (" + elapsed + ")");
                return poll.value().get();
            }
            if (!poll.state().equals(lastState) || now - lastReport >= heartbeat.toNanos()) {
                progress.accept(name + ": " + poll.state() + " (" + elapsed + ")");
                lastState = poll.state();
                lastReport = now;
            }
            if (now > deadline) {
                throw new TimeoutException(
                        "timed out after " + human(limit) + " waiting for " + name + "; last state: " + poll.state());
            }
            try {
                pacer.pause(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitInterruptedException(name);
            }
        }
    }

    private static String human(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    /** The thread was interrupted during a wait (SIGTERM, deadline). */
    public static final class WaitInterruptedException extends RecipeCiException {
        private static final long serialVersionUID = 1L;

        WaitInterruptedException(String name) {
            super("interrupted while waiting for " + name);
        }
    }
}

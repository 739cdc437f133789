package org.coopcloud.recipeci.internal.wait;

import java.time.Duration;

/** A point in time (on the monotonic clock) by which something must be done: a budget that runs down. */
public final class Deadline {
    private final long endNanos;
    private final Duration budget;

    private Deadline(long endNanos, Duration budget) {
        this.endNanos = endNanos;
        this.budget = budget;
    }

    /** {@code budget} from now. */
    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    /** What is left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    public boolean passed() {
        return System.nanoTime() - endNanos >= 0;
    }

    /** {@code limit}, or what is left when that is less. */
    public Duration cap(Duration limit) {
        Duration left = remaining();
        return left.compareTo(limit) < 0 ? left : limit;
    }

    /** The whole budget it was made with. */
    public Duration budget() {
        return budget;
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + " ms left of " + budget.toMillis() + " ms]";
    }
}

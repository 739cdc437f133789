package org.coopcloud.recipeci.internal.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.Stage;

/** How each tier's tests ended and how long its classes took: what the ladder and the reports are made from. */
public final class TierResults {
    /** How one test ended. */
    public enum Kind {
        PASSED,
        FAILED,
        /** Failed with an exception that is not an assertion or a deploy/operation failure: a harness problem. */
        ERRORED,
        /**
         * Ended by an interrupt: the run was stopped (signal, deadline) while the test was running, and whatever it
         * was waiting in gave up. Says nothing about the recipe.
         */
        INTERRUPTED,
        /**
         * Failed because the host did (a full or read-only disk, docker unreachable or not answering): says nothing
         * about the recipe.
         */
        HOST_FAULT,
        SKIPPED
    }

    /**
     * One finished test.
     *
     * @param reason one line: the first meaningful line of the failure or skip reason; empty when it passed
     * @param detail the whole text of the failure (docker's reason, the task table, the last log lines), or the
     *     reason again when there is no more
     */
    public record Outcome(String test, Kind kind, String reason, String detail) {
        public Outcome(String test, Kind kind, String reason) {
            this(test, kind, reason, reason);
        }
    }

    private final Map<Stage, List<Outcome>> outcomes = new EnumMap<>(Stage.class);
    private final Map<Stage, Duration> durations = new EnumMap<>(Stage.class);

    public synchronized void add(Stage stage, Outcome outcome) {
        outcomes.computeIfAbsent(stage, s -> new ArrayList<>()).add(outcome);
    }

    public synchronized void addDuration(Stage stage, Duration took) {
        durations.merge(stage, took, Duration::plus);
    }

    public synchronized List<Outcome> of(Stage stage) {
        return List.copyOf(outcomes.getOrDefault(stage, List.of()));
    }

    public synchronized Duration duration(Stage stage) {
        return durations.getOrDefault(stage, Duration.ZERO);
    }
}

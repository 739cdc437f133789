package org.coopcloud.recipeci.internal.report.gitea;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.report.Ladder;
import org.coopcloud.recipeci.internal.report.RunResults;

/**
 * What a commit status says about a run: its state and a one-line description (Gitea shows it beside the
 * context).
 *
 * <ul>
 *   <li>{@code pending} while the tiers run;
 *   <li>{@code success} for a green run;
 *   <li>{@code failure} when a rung failed — a verdict on the recipe — and when the run was stopped (signal,
 *       deadline), with the reason;
 *   <li>{@code error} when the run is not green but nothing failed on the recipe's side: a configuration error, or
 *       recipe-ci or the host could not verify a rung.
 * </ul>
 */
record Verdict(State state, String description) {
    /** Gitea's commit-status states (its {@code warning} is not used). */
    enum State {
        PENDING,
        SUCCESS,
        FAILURE,
        ERROR;

        String apiValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    // The entrypoint's exit codes (RecipeCiMain), not imported: the launcher depends on this package.
    private static final int GREEN = 0;
    private static final int BAD_CONFIGURATION = 2;

    /** Gitea shows a description on one line; longer ones are cut with an ellipsis. */
    static final int MAX_DESCRIPTION = 140;

    Verdict {
        description = oneLine(description);
    }

    static Verdict pending(RunConfig run) {
        return new Verdict(
                State.PENDING,
                "testing " + run.recipe() + " ("
                        + run.stages().stream()
                                .map(s -> s.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", "))
                        + "), run " + run.runId());
    }

    /** The final status of a run that a configuration error stopped before its tiers started. */
    static Verdict refused(String why) {
        return new Verdict(State.ERROR, "configuration error: " + why);
    }

    /**
     * The final status: what decided it first, then the level.
     *
     * @param stopped why a signal or the deadline stopped the run, if one did
     */
    static Verdict of(RunResults results, Optional<String> stopped) {
        String level = "level " + results.level();
        Optional<String> cap = results.ladder().capReason();
        if (stopped.isPresent()) {
            return new Verdict(State.FAILURE, "stopped: " + stopped.get() + " — " + level);
        }
        if (results.exitCode() == GREEN) {
            return new Verdict(
                    State.SUCCESS,
                    "passed: " + level + cap.map(c -> " (capped: " + c + ")").orElse(""));
        }
        if (results.exitCode() == BAD_CONFIGURATION) {
            return new Verdict(
                    State.ERROR,
                    "configuration error — " + level + cap.map(c -> ": " + c).orElse(""));
        }
        Optional<Ladder.Rung> failed = results.ladder().rungs().stream()
                .filter(r -> r.status() == Ladder.Status.FAIL)
                .findFirst();
        return failed.map(r -> new Verdict(
                        State.FAILURE, "failed: " + r.label() + " " + r.name() + ": " + r.reason() + " — " + level))
                .orElseGet(() -> new Verdict(
                        State.ERROR, "could not verify: " + cap.orElse("the run is not green") + " — " + level));
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_DESCRIPTION ? line : line.substring(0, MAX_DESCRIPTION - 1) + "…";
    }
}

package org.coopcloud.recipeci.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.coopcloud.recipeci.Stage;

/**
 * The results ladder: L1 install, L2 upgrade, L3 backup/restore, L4 functional (the CUSTOM tier), L5 lint. Each
 * rung passes, fails, is skipped on purpose (not applicable), or is unverified (not run, a harness problem, an
 * earlier stage aborted it, the run was stopped). The level is the highest rung that passed with every rung below
 * it passed or skipped on purpose.
 */
public final class Ladder {
    public enum Status {
        PASS,
        FAIL,
        SKIP,
        UNVERIFIED;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One rung.
     *
     * @param reason one line (see {@code FailureText}): why it failed, was skipped or is unverified; empty when it
     *     passed
     * @param detail the whole text behind the reason (docker's output, the task table, the last log lines), or the
     *     reason again when there is no more
     */
    public record Rung(int level, String name, Status status, String reason, String detail) {
        public Rung {
            // The status is said once: a reason that opens with it (the gate's "unverified: …") loses that opening.
            reason = withoutOpening(reason, status);
            detail = withoutOpening(detail, status);
        }

        private static String withoutOpening(String text, Status status) {
            String opening = status.word() + ": ";
            return text.startsWith(opening) ? text.substring(opening.length()) : text;
        }

        public Rung(int level, String name, Status status, String reason) {
            this(level, name, status, reason, reason);
        }

        public String label() {
            return "L" + level;
        }

        /** Whether {@link #detail} says more than {@link #reason}. */
        public boolean hasMoreDetail() {
            return !detail.isBlank() && !detail.strip().equals(reason.strip());
        }
    }

    public record Result(int level, Optional<String> capReason, List<Rung> rungs) {
        /** The same result with every reason and detail passed through {@code redact} (generated secret values). */
        public Result redacted(UnaryOperator<String> redact) {
            return new Result(
                    level,
                    capReason.map(redact),
                    rungs.stream()
                            .map(r -> new Rung(
                                    r.level(),
                                    r.name(),
                                    r.status(),
                                    redact.apply(r.reason()),
                                    redact.apply(r.detail())))
                            .toList());
        }

        /** The rung that capped the level: the first that neither passed nor was skipped on purpose. */
        public Optional<Rung> capping() {
            return rungs.stream()
                    .filter(r -> r.status() != Status.PASS && r.status() != Status.SKIP)
                    .findFirst();
        }
    }

    private Ladder() {}

    /**
     * @param lint one line per unsatisfied error rule of abra's lint, each starting with the rule id (warnings do not
     *     count); empty when there is none, absent when the recipe was never checked out
     * @param stopped why the run was stopped early (signal, deadline), if it was
     */
    public static Result climb(
            Function<Stage, List<TierResults.Outcome>> outcomes,
            Set<Stage> stages,
            Optional<List<String>> lint,
            Optional<String> stopped) {
        List<Rung> rungs = new ArrayList<>();
        rungs.add(rung(1, "install", outcomes, stages, Stage.INSTALL, stopped));
        rungs.add(rung(2, "upgrade", outcomes, stages, Stage.UPGRADE, stopped));
        rungs.add(combine(
                3,
                "backup/restore",
                rung(3, "backup", outcomes, stages, Stage.BACKUP, stopped),
                rung(3, "restore", outcomes, stages, Stage.RESTORE, stopped)));
        rungs.add(rung(4, "functional", outcomes, stages, Stage.CUSTOM, stopped));
        rungs.add(lint.map(found -> found.isEmpty()
                        ? new Rung(5, "lint", Status.PASS, "")
                        : new Rung(5, "lint", Status.FAIL, String.join("; ", found)))
                .orElse(new Rung(5, "lint", Status.UNVERIFIED, "the recipe was not checked out")));
        int level = 0;
        Optional<String> cap = Optional.empty();
        for (Rung rung : rungs) {
            if (rung.status() == Status.PASS) {
                level = rung.level();
            } else if (rung.status() != Status.SKIP) {
                cap = Optional.of(rung.label() + " " + rung.name() + " "
                        + rung.status().word() + (rung.reason().isEmpty() ? "" : ": " + rung.reason()));
                break;
            }
        }
        return new Result(level, cap, rungs);
    }

    /**
     * The ladder of a run whose tiers never ran: every selected rung unverified for {@code reason} (a configuration
     * error, a stop before the first tier, a failure of recipe-ci itself), level 0.
     */
    public static Result notRun(Set<Stage> stages, String reason) {
        List<Rung> rungs = new ArrayList<>();
        String[] names = {"install", "upgrade", "backup/restore", "functional"};
        Stage[] of = {Stage.INSTALL, Stage.UPGRADE, Stage.BACKUP, Stage.CUSTOM};
        for (int i = 0; i < names.length; i++) {
            rungs.add(new Rung(
                    i + 1, names[i], Status.UNVERIFIED, stages.contains(of[i]) ? reason : "stage not selected"));
        }
        // Not "not checked out": a compose file that does not parse, say, is found in a checkout.
        Rung lint = new Rung(5, "lint", Status.UNVERIFIED, reason);
        rungs.add(lint);
        // The rung's reason, which says "unverified" only once.
        return new Result(0, Optional.of("L1 install unverified: " + lint.reason()), rungs);
    }

    static Rung rung(
            int level,
            String name,
            Function<Stage, List<TierResults.Outcome>> outcomes,
            Set<Stage> stages,
            Stage stage,
            Optional<String> stopped) {
        if (!stages.contains(stage)) {
            return new Rung(level, name, Status.UNVERIFIED, "stage not selected");
        }
        List<TierResults.Outcome> all = outcomes.apply(stage);
        if (all.isEmpty()) {
            return new Rung(
                    level,
                    name,
                    Status.UNVERIFIED,
                    stopped.map(Ladder::stoppedReason)
                            .orElse(
                                    stage == Stage.CUSTOM
                                            ? "the recipe has no functional (CUSTOM) tests"
                                            : "no tests ran"));
        }
        // Before the failures: an assertion that failed on a broken host is no verdict on the recipe.
        Optional<TierResults.Outcome> host = first(all, TierResults.Kind.HOST_FAULT);
        if (host.isPresent()) {
            return new Rung(
                    level,
                    name,
                    Status.UNVERIFIED,
                    "unverified: the host failed, not the recipe — "
                            + host.get().reason(),
                    host.get().detail());
        }
        Optional<TierResults.Outcome> failed = first(all, TierResults.Kind.FAILED);
        if (failed.isPresent()) {
            // Several failed tests of a deploying tier with one reason: its operation failed (its tests all carry the
            // cause), not the first test's own claim. CUSTOM has no operation: its tests' names stay.
            List<String> reasons = all.stream()
                    .filter(o -> o.kind() == TierResults.Kind.FAILED)
                    .map(TierResults.Outcome::reason)
                    .toList();
            boolean operation = stage != Stage.CUSTOM
                    && reasons.size() > 1
                    && Set.copyOf(reasons).size() == 1;
            return new Rung(
                    level,
                    name,
                    Status.FAIL,
                    (operation ? "" : failed.get().test() + ": ") + failed.get().reason(),
                    failed.get().detail());
        }
        Optional<TierResults.Outcome> errored = first(all, TierResults.Kind.ERRORED);
        if (errored.isPresent()) {
            return new Rung(
                    level,
                    name,
                    Status.UNVERIFIED,
                    "harness error in " + errored.get().test() + ": "
                            + errored.get().reason(),
                    errored.get().detail());
        }
        Optional<TierResults.Outcome> interrupted = first(all, TierResults.Kind.INTERRUPTED);
        if (interrupted.isPresent()) {
            String during = interrupted.get().test() + ": " + interrupted.get().reason();
            return new Rung(
                    level,
                    name,
                    Status.UNVERIFIED,
                    stopped.map(why -> stoppedReason(why) + " during " + during).orElse("harness error in " + during));
        }
        List<TierResults.Outcome> skipped =
                all.stream().filter(o -> o.kind() == TierResults.Kind.SKIPPED).toList();
        // Only the harness's own gate and a stopped run make a rung unverified; an author's assumption does not.
        Optional<TierResults.Outcome> unverified = skipped.stream()
                .filter(o -> o.reason().startsWith("unverified") || isCancellation(o.reason()))
                .findFirst();
        if (unverified.isPresent()) {
            String reason = unverified.get().reason();
            return new Rung(
                    level,
                    name,
                    Status.UNVERIFIED,
                    isCancellation(reason) ? stoppedReason(stopped.orElse("cancelled")) : reason);
        }
        if (all.stream().noneMatch(o -> o.kind() == TierResults.Kind.PASSED)) {
            return new Rung(level, name, Status.SKIP, skipped.get(0).reason());
        }
        return new Rung(level, name, Status.PASS, "");
    }

    private static String stoppedReason(String why) {
        return "unverified: the run was stopped (" + why + ")";
    }

    private static boolean isCancellation(String reason) {
        return reason.startsWith("Execution cancelled");
    }

    static Rung combine(int level, String name, Rung a, Rung b) {
        for (Status worst : List.of(Status.FAIL, Status.UNVERIFIED)) {
            for (Rung r : List.of(a, b)) {
                if (r.status() == worst) {
                    return new Rung(level, name, worst, r.name() + ": " + r.reason(), r.detail());
                }
            }
        }
        if (a.status() == Status.SKIP && b.status() == Status.SKIP) {
            return new Rung(level, name, Status.SKIP, a.reason());
        }
        return new Rung(level, name, Status.PASS, "");
    }

    private static Optional<TierResults.Outcome> first(List<TierResults.Outcome> all, TierResults.Kind kind) {
        return all.stream().filter(o -> o.kind() == kind).findFirst();
    }
}

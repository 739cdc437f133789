package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;
import java.util.Optional;

/**
 * What abra's lint rules say about one recipe at one commit: the rules it does not satisfy, and the rules that were
 * not judged and why. When the recipe cannot be read at all (abra stops with "unable to validate recipe"), there
 * are no findings but a reason: that fails the L5 rung as an error would.
 *
 * @param unreadable why the recipe could not be linted, if it could not
 */
public record LintReport(List<Finding> findings, List<NotJudged> notJudged, Optional<String> unreadable) {
    public LintReport {
        findings = List.copyOf(findings);
        notJudged = List.copyOf(notJudged);
    }

    /** A recipe that could not be linted: its compose files are missing or are not YAML. */
    public static LintReport unreadable(String why) {
        return new LintReport(List.of(), List.of(), Optional.of(why));
    }

    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.severity() == Severity.WARN).toList();
    }

    /** Whether every error rule is satisfied (warnings do not count). */
    public boolean passes() {
        return unreadable.isEmpty() && errors().isEmpty();
    }

    /** One line per unsatisfied error rule, each starting with the rule id; empty when the recipe passes. */
    public List<String> errorLines() {
        return unreadable
                .map(why -> List.of("cannot lint: " + why))
                .orElseGet(() -> errors().stream().map(Finding::oneLine).toList());
    }

    /** One line: "no errors, 2 warnings (R002, R015)", or why the recipe could not be linted. */
    public String summary() {
        return unreadable
                .map(why -> "cannot lint: " + why)
                .orElseGet(() -> count(errors(), "error") + ", " + count(warnings(), "warning"));
    }

    private static String count(List<Finding> findings, String what) {
        if (findings.isEmpty()) {
            return "no " + what + "s";
        }
        return findings.size() + " " + what + (findings.size() == 1 ? "" : "s") + " ("
                + String.join(", ", findings.stream().map(Finding::rule).toList()) + ")";
    }
}

package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One of abra's numbered lint rules ({@code abra recipe lint}), judged from the recipe's files: its id, abra's
 * severity and description, a one-line fix, and the check. Each rule is a small class named after its id.
 */
abstract class AbraRule {
    private final String id;
    private final Severity severity;
    private final String description;
    private final String fix;

    AbraRule(String id, Severity severity, String description, String fix) {
        this.id = id;
        this.severity = severity;
        this.description = description;
        this.fix = fix;
    }

    final String id() {
        return id;
    }

    final Severity severity() {
        return severity;
    }

    final String description() {
        return description;
    }

    final String fix() {
        return fix;
    }

    /** Why the rule is not judged for {@code recipe} (abra's skip condition, or it needs more than the files). */
    Optional<String> skipReason(LintedRecipe recipe) {
        return Optional.empty();
    }

    /** What breaks the rule, one entry per place (file, service, tag); empty when the rule is satisfied. */
    abstract List<String> problems(LintedRecipe recipe);

    /** One problem per service of the merged compose files that matches {@code broken}, described by {@code what}. */
    static List<String> services(
            LintedRecipe recipe, Predicate<ComposeModel.Service> broken, Function<ComposeModel.Service, String> what) {
        return recipe.compose().services().stream()
                .filter(broken)
                .map(s -> s.where() + what.apply(s))
                .toList();
    }

    final Finding finding(List<String> problems) {
        return new Finding(id, severity, description, problems, fix);
    }

    final NotJudged notJudged(String reason) {
        return new NotJudged(id, severity, description, reason);
    }
}

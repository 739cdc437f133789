package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;
import java.util.Optional;

/**
 * A rule of abra's that needs more than the recipe's files — the network or abra's recipe catalogue: R006 (has a
 * published catalogue version) and R013 (the recipe's repository exists on git.coopcloud.tech). It is listed as not
 * judged, never as satisfied.
 */
final class OfflineRule extends AbraRule {
    private final String needs;

    OfflineRule(String id, String description, String needs) {
        super(id, Severity.WARN, description, "");
        this.needs = needs;
    }

    static OfflineRule r006() {
        return new OfflineRule(
                "R006", "has published catalogue version", "needs abra's recipe catalogue (recipes.coopcloud.tech)");
    }

    static OfflineRule r013() {
        return new OfflineRule("R013", "git.coopcloud.tech repo exists", "needs the network (git.coopcloud.tech)");
    }

    @Override
    Optional<String> skipReason(LintedRecipe recipe) {
        return Optional.of(needs + ", which recipe-ci does not consult");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return List.of();
    }
}

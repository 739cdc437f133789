package org.coopcloud.recipeci.internal.recipe.lint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * abra's recipe lint ({@code abra recipe lint}), judged from a recipe checkout: each rule of abra's table that can be
 * judged from the recipe's files, with abra's id and severity. The run lints the code under test once, before
 * anything is deployed; an unsatisfied error rule fails the L5 rung. See docs/recipe-authoring.md for the table.
 */
public final class RecipeLinter {
    /** In abra's order. R016 is not here: its content could not be found (see docs/recipe-authoring.md). */
    static final List<AbraRule> RULES = List.of(
            new R001ComposeVersion(),
            new R002Healthchecks(),
            new R003ImagesTagged(),
            new R004NoUnstableTags(),
            new R005SemverLikeTags(),
            OfflineRule.r006(),
            new R007MetadataFilledIn(),
            new R008EnvSamplePresent(),
            new R009AppService(),
            new R010TraefikEnabled(),
            new R011ImagesPresent(),
            new R012ConfigVersionsVendored(),
            OfflineRule.r013(),
            new R014AnnotatedTags(),
            new R015SecretNameLengths());

    private RecipeLinter() {}

    /** Lints the recipe checked out at {@code workTree}; its git tags are read with {@code runner}. */
    public static LintReport lint(Path workTree, CommandRunner runner) {
        return lint(workTree, RULES, memoized(() -> RecipeTags.read(runner, workTree)));
    }

    static LintReport lint(Path workTree, List<AbraRule> rules, Supplier<Optional<List<RecipeTags.Tag>>> tags) {
        LintedRecipe recipe;
        try {
            recipe = LintedRecipe.read(workTree, tags);
        } catch (UnreadableRecipeException e) {
            return LintReport.unreadable(e.getMessage());
        }
        List<Finding> findings = new ArrayList<>();
        List<NotJudged> notJudged = new ArrayList<>();
        for (AbraRule rule : rules) {
            Optional<String> skip = rule.skipReason(recipe);
            if (skip.isPresent()) {
                notJudged.add(rule.notJudged(skip.get()));
                continue;
            }
            List<String> problems = rule.problems(recipe);
            if (!problems.isEmpty()) {
                findings.add(rule.finding(problems));
            }
        }
        return new LintReport(findings, notJudged, Optional.empty());
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}

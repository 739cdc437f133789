package org.coopcloud.recipeci.internal.junit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.junit.jupiter.api.Tag;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Keeps the tier classes of this run: a {@link Tier} whose stage is selected, and a {@link RecipeTest} that is
 * generic or names this run's recipe.
 */
final class TierSelection implements PostDiscoveryFilter {
    private final RecipeName recipe;
    private final Set<Stage> stages;
    /** The recipes {@code @RecipeTest} classes name, with a class that names each. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** Classes of this run's recipe ({@code @RecipeTest}) without {@code @Tier}: an IDE runs them, a run cannot. */
    private final Set<String> untiered = ConcurrentHashMap.newKeySet();

    TierSelection(RecipeName recipe, Set<Stage> stages) {
        this.recipe = recipe;
        this.stages = stages;
    }

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        return testClass(descriptor.getSource()).map(this::judge).orElse(FilterResult.included("not a class"));
    }

    FilterResult judge(Class<?> testClass) {
        Optional<Tier> tier = AnnotationSupport.findAnnotation(testClass, Tier.class);
        if (tier.isEmpty()) {
            AnnotationSupport.findAnnotation(testClass, RecipeTest.class)
                    .filter(r -> r.recipe().equals(recipe.value()) && !fixture(testClass))
                    .ifPresent(r -> untiered.add(testClass.getName()));
            return FilterResult.excluded(testClass.getSimpleName() + " is not a tier class");
        }
        String owner = AnnotationSupport.findAnnotation(testClass, RecipeTest.class)
                .map(RecipeTest::recipe)
                .orElse("");
        // Whatever stages run: a misnamed recipe would leave the class out of every run of any stage.
        if (!owner.isEmpty() && !fixture(testClass)) {
            owners.putIfAbsent(owner, testClass.getName());
        }
        if (!stages.contains(tier.get().value())) {
            return FilterResult.excluded("stage " + tier.get().value() + " is not selected");
        }
        return owner.isEmpty() || owner.equals(recipe.value())
                ? FilterResult.included("tier of this run")
                : FilterResult.excluded("tests recipe '" + owner + "', not '" + recipe + "'");
    }

    /**
     * A class that names, in {@code @RecipeTest}, a recipe the catalogue does not have, so close to this run's recipe
     * that it is a typo of it — which would leave its tests out of this run without a word.
     *
     * @return what to fix; empty when no such class was discovered
     */
    Optional<String> misnamedForThisRun(List<String> known) {
        return owners.entrySet().stream()
                .filter(e -> !known.contains(e.getKey()) && typo(e.getKey(), recipe.value()))
                .sorted(Map.Entry.comparingByKey())
                .findFirst()
                .map(e -> e.getValue() + " names recipe '" + e.getKey() + "' in @RecipeTest, which the catalogue does"
                        + " not have: did you mean '" + recipe
                        + "', this run's recipe? As it is, its tests are left out"
                        + " of this run");
    }

    /**
     * The other recipes that {@code @RecipeTest} classes name and the catalogue does not have (a catalogue of its own,
     * {@code recipeci.home}, need not hold the project's other recipes): a line each, their classes being left out of
     * this run anyway.
     */
    List<String> unknownElsewhere(List<String> known) {
        return owners.entrySet().stream()
                .filter(e -> !known.contains(e.getKey()) && !typo(e.getKey(), recipe.value()))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " names recipe '" + e.getKey() + "', which the catalogue does not have"
                        + known.stream()
                                .filter(k -> typo(e.getKey(), k))
                                .findFirst()
                                .map(k -> " (did you mean '" + k + "'?)")
                                .orElse("")
                        + "; left out, as any other recipe's tiers are")
                .toList();
    }

    /**
     * A line for each class that names this run's recipe in {@code @RecipeTest} but has no {@code @Tier}: the run
     * leaves it out (it would not know when to run it), while an IDE or Surefire run of the class runs it.
     */
    List<String> untieredLines() {
        return untiered.stream()
                .sorted()
                .map(name -> name + " names recipe '" + recipe + "' in @RecipeTest but has no @Tier: left out of"
                        + " this run (add @Tier(Stage.CUSTOM) for functional tests)")
                .toList();
    }

    /**
     * A slip of the keyboard: one edit away (two for names of 8 letters and more), a swap of neighbouring letters
     * counting one. A name that extends the other ({@code kimai2}, {@code plausible-ce}) is a sibling recipe, not a
     * typo.
     */
    static boolean typo(String name, String of) {
        if (name.startsWith(of) || of.startsWith(name)) {
            return false;
        }
        int limit = Math.min(name.length(), of.length()) < 8 ? 1 : 2;
        return ConfigKey.distance(name, of) <= limit;
    }

    /** The project's own test fixtures name made-up recipes on purpose. */
    private static boolean fixture(Class<?> testClass) {
        return AnnotationSupport.findRepeatableAnnotations(testClass, Tag.class).stream()
                .anyMatch(t -> t.value().equals(RecipeCiMain.FIXTURE_TAG));
    }

    private static Optional<Class<?>> testClass(Optional<TestSource> source) {
        return source.flatMap(s -> {
            if (s instanceof ClassSource c) {
                return Optional.of(c.getJavaClass());
            }
            if (s instanceof MethodSource m) {
                return Optional.of(m.getJavaClass());
            }
            return Optional.empty();
        });
    }
}

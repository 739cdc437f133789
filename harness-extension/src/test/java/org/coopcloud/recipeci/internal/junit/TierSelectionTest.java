package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;

class TierSelectionTest {

    @RecipeTest
    @Tier(Stage.INSTALL)
    static class GenericInstallTier {}

    @RecipeTest
    @Tier(Stage.UPGRADE)
    static class GenericUpgradeTier {}

    @RecipeTest(recipe = "hello")
    @Tier(Stage.CUSTOM)
    static class HelloCustomTier {}

    @RecipeTest(recipe = "other")
    @Tier(Stage.CUSTOM)
    static class OtherCustomTier {}

    @RecipeTest
    static class NoTier {}

    static class Plain {}

    static class InheritsInstallTier extends GenericInstallTier {}

    private final TierSelection selection =
            new TierSelection(new RecipeName("hello"), EnumSet.of(Stage.INSTALL, Stage.CUSTOM));

    @Test
    void genericTierOfASelectedStageIsIncluded() {
        assertThat(selection.judge(GenericInstallTier.class).included()).isTrue();
    }

    @Test
    void tierNamingThisRecipeIsIncluded() {
        assertThat(selection.judge(HelloCustomTier.class).included()).isTrue();
    }

    @Test
    void stageNotSelectedIsExcluded() {
        FilterResult result = selection.judge(GenericUpgradeTier.class);
        assertThat(result.excluded()).isTrue();
        assertThat(result.getReason()).hasValue("stage UPGRADE is not selected");
    }

    @Test
    void tierOfAnotherRecipeIsExcluded() {
        FilterResult result = selection.judge(OtherCustomTier.class);
        assertThat(result.excluded()).isTrue();
        assertThat(result.getReason()).hasValue("tests recipe 'other', not 'hello'");
    }

    @Test
    void classWithoutTierIsExcluded() {
        assertThat(selection.judge(NoTier.class).excluded()).isTrue();
        assertThat(selection.judge(Plain.class).excluded()).isTrue();
        assertThat(selection.judge(Plain.class).getReason()).hasValue("Plain is not a tier class");
    }

    @Test
    void tierAnnotationsAreInherited() {
        assertThat(selection.judge(InheritsInstallTier.class).included()).isTrue();
    }

    @Test
    void applyJudgesTheClassOfClassAndMethodSources() {
        assertThat(selection
                        .apply(descriptor(ClassSource.from(GenericUpgradeTier.class)))
                        .excluded())
                .isTrue();
        assertThat(selection
                        .apply(descriptor(ClassSource.from(GenericInstallTier.class)))
                        .included())
                .isTrue();
        assertThat(selection
                        .apply(descriptor(MethodSource.from(OtherCustomTier.class.getName(), "greets")))
                        .excluded())
                .isTrue();
        assertThat(selection
                        .apply(descriptor(MethodSource.from(HelloCustomTier.class.getName(), "greets")))
                        .included())
                .isTrue();
    }

    @Test
    void applyKeepsDescriptorsWithoutAClass() {
        assertThat(selection.apply(descriptor(null)).included()).isTrue();
    }

    private static AbstractTestDescriptor descriptor(TestSource source) {
        return new AbstractTestDescriptor(UniqueId.forEngine("test"), "d", source) {
            @Override
            public Type getType() {
                return Type.CONTAINER;
            }
        };
    }

    @RecipeTest(recipe = "fodsharing")
    @Tier(Stage.CUSTOM)
    static class MisnamedTier {}

    @Test
    void aRecipeNameOneTypoAwayFromThisRunsRecipeIsRefused() {
        TierSelection selection = new TierSelection(new RecipeName("foodsharing"), EnumSet.allOf(Stage.class));
        selection.judge(HelloCustomTier.class);
        selection.judge(MisnamedTier.class);

        assertThat(selection.misnamedForThisRun(List.of("foodsharing", "hello", "other")))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains(MisnamedTier.class.getName())
                        .contains("'fodsharing'")
                        .contains("did you mean 'foodsharing', this run's recipe?"));
        assertThat(selection.misnamedForThisRun(List.of("fodsharing", "foodsharing", "hello")))
                .isEmpty();
    }

    @Test
    void anotherRecipeTheCatalogueLacksIsALineNotARefusal() {
        // A catalogue of its own (recipeci.home) holding only the recipe under test: the project's other tier
        // classes name recipes it does not have.
        TierSelection selection = new TierSelection(new RecipeName("bonfire"), EnumSet.allOf(Stage.class));
        selection.judge(HelloCustomTier.class);
        selection.judge(MisnamedTier.class);

        assertThat(selection.misnamedForThisRun(List.of("bonfire"))).isEmpty();
        assertThat(selection.unknownElsewhere(List.of("bonfire"))).hasSize(2);
        assertThat(selection.unknownElsewhere(List.of("bonfire", "foodsharing", "hello")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains(MisnamedTier.class.getName())
                        .contains("'fodsharing'")
                        .contains("did you mean 'foodsharing'?")
                        .contains("left out"));
        assertThat(selection.unknownElsewhere(List.of("bonfire", "fodsharing", "hello")))
                .isEmpty();
    }

    @RecipeTest(recipe = "hello")
    static class HelloWithoutTier {}

    @Test
    void aClassOfThisRecipeWithoutTierIsNamed_notSilentlyDropped() {
        TierSelection hello = new TierSelection(new RecipeName("hello"), EnumSet.allOf(Stage.class));
        TierSelection notes = new TierSelection(new RecipeName("notes"), EnumSet.allOf(Stage.class));

        assertThat(hello.judge(HelloWithoutTier.class).excluded()).isTrue();
        notes.judge(HelloWithoutTier.class);
        hello.judge(HelloCustomTier.class);

        assertThat(hello.untieredLines()).singleElement().satisfies(line -> assertThat(line)
                .contains(HelloWithoutTier.class.getName())
                .contains("has no @Tier")
                .contains("@Tier(Stage.CUSTOM)"));
        assertThat(notes.untieredLines()).isEmpty();
    }

    @Test
    void aMisnamedRecipeIsFoundAlsoWhenItsStageIsNotSelected() {
        TierSelection installOnly = new TierSelection(new RecipeName("foodsharing"), EnumSet.of(Stage.INSTALL));

        assertThat(installOnly.judge(MisnamedTier.class).excluded()).isTrue();
        assertThat(installOnly.misnamedForThisRun(List.of("foodsharing", "hello")))
                .hasValueSatisfying(why -> assertThat(why).contains("'fodsharing'"));
    }

    @ParameterizedTest
    @CsvSource({
        "helo, hello, true",
        "ntoes, notes, true",
        "hlelo, hello, true",
        "fodsharing, foodsharing, true",
        "foodsahring, foodsharing, true",
        "hello, hello, false",
        "pgnotes, notes, false",
        "notes, hello, false",
        "hello, bonfire, false",
        "foodsharing-cm, foodsharing, false",
        "kimai2, kimai, false",
        "plausible-ce, plausible, false",
        "wordpress-ms, wordpress, false",
        "lasuite-docs, lasuite-meet, false",
        "lasuite-drive, lasuite-docs, false"
    })
    void aTypoIsAnEditOrTwoAwayFromANameLongEnoughToTell(String name, String of, boolean typo) {
        assertThat(TierSelection.typo(name, of)).isEqualTo(typo);
    }
}

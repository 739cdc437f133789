package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.junit.jupiter.api.Test;
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

    @RecipeTest(recipe = "foodsharing-cm")
    @Tier(Stage.CUSTOM)
    static class MisnamedTier {}

    @Test
    void aRecipeNameTheCatalogueLacksIsNamedWithTheClosestKnownOne() {
        TierSelection selection = new TierSelection(new RecipeName("hello"), EnumSet.allOf(Stage.class));
        selection.judge(HelloCustomTier.class);
        selection.judge(MisnamedTier.class);

        assertThat(selection.unknownRecipes(List.of("foodsharing", "hello", "other")))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains(MisnamedTier.class.getName())
                        .contains("'foodsharing-cm'")
                        .contains("did you mean 'foodsharing'"));
        assertThat(selection.unknownRecipes(List.of("foodsharing-cm", "hello"))).isEmpty();
    }

    @Test
    void aMisnamedRecipeIsFoundAlsoWhenItsStageIsNotSelected() {
        TierSelection installOnly = new TierSelection(new RecipeName("hello"), EnumSet.of(Stage.INSTALL));

        assertThat(installOnly.judge(MisnamedTier.class).excluded()).isTrue();
        assertThat(installOnly.unknownRecipes(List.of("foodsharing", "hello")))
                .hasValueSatisfying(why -> assertThat(why).contains("'foodsharing-cm'"));
    }
}

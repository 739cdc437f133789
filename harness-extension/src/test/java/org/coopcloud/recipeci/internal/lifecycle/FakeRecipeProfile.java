package org.coopcloud.recipeci.internal.lifecycle;

import java.util.List;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;

/** The profile of the lifecycle tests' recipe; declares a dependency while {@link #withDependency} is set. */
public final class FakeRecipeProfile implements RecipeProfile {
    static volatile boolean withDependency;

    @Override
    public String recipe() {
        return "fake-recipe";
    }

    @Override
    public List<RecipeName> dependencies() {
        return withDependency ? List.of(new RecipeName("fake-dep")) : List.of();
    }
}

package org.coopcloud.recipeci.internal.run;

import org.coopcloud.recipeci.RecipeProfile;

/** A profile that fails its checks (a health path without '/'), for a dependency of the lifecycle tests' recipe. */
public final class BrokenDependencyProfile implements RecipeProfile {
    static final String RECIPE = "fake-broken-dep";

    @Override
    public String recipe() {
        return RECIPE;
    }

    @Override
    public String healthPath() {
        return "health";
    }
}

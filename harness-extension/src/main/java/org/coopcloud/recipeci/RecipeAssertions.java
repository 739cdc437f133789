package org.coopcloud.recipeci;

/**
 * AssertJ entry point for deployed apps: {@code assertThat(app).hasConverged().servesHttp("/")}. Failure messages
 * show the app's task table.
 */
public final class RecipeAssertions {
    private RecipeAssertions() {}

    public static DeployedAppAssert assertThat(DeployedApp app) {
        return new DeployedAppAssert(app);
    }
}

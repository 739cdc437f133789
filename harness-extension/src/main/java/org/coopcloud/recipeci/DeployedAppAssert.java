package org.coopcloud.recipeci;

/** Assertions on a {@link DeployedApp}; see {@link RecipeAssertions#assertThat(DeployedApp)}. */
public class DeployedAppAssert extends AbstractDeployedAppAssert<DeployedAppAssert> {

    public DeployedAppAssert(DeployedApp app) {
        super(app, DeployedAppAssert.class);
    }
}

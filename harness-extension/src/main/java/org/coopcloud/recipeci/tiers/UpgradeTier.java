package org.coopcloud.recipeci.tiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeAssertions;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.run.TierRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The UPGRADE checks every recipe gets. Before these run, the app — deployed at the previous release — was marked
 * and redeployed in place at the code under test.
 */
@Tier(Stage.UPGRADE)
@DisplayName("UPGRADE (generic)")
public class UpgradeTier {

    @Test
    @DisplayName("after the upgrade every service converged and the app is ready")
    void convergedAndReady(DeployedApp app) {
        RecipeAssertions.assertThat(app).hasConverged().servesHttp(app.profile().healthPath());
    }

    @Test
    @DisplayName("the version label is the code under test's")
    void runsTheCodeUnderTest(DeployedApp app) {
        RecipeAssertions.assertThat(app).hasVersion(app.version());
    }

    @Test
    @DisplayName("the marker written before the upgrade survived it")
    void stateSurvived(DeployedApp app, TierRecord record) {
        assumeTrue(
                record.state().upgradeMarker().isPresent(),
                "not applicable: the recipe has no markerPath and no backupbot.backup.path to keep a marker in");
        String marker = record.state().upgradeMarker().orElseThrow();
        assertThat(record.markerNow())
                .as("the marker %s of %s after the upgrade%n%s", marker, app.stackName(), app.taskTable())
                .contains(marker);
    }

    @Test
    @DisplayName("the app's volumes were kept (the marker test proves their data was)")
    void volumesSurvived(DeployedApp app, TierRecord record) {
        assumeTrue(!record.state().volumesBeforeUpgrade().isEmpty(), "not applicable: the app has no volumes");
        assertThat(app.volumes()).containsAll(record.state().volumesBeforeUpgrade());
    }

    @Test
    @DisplayName("the upgrade redeployed in place: still one app for the run (plus its dependencies)")
    void noSecondApp(DeployedApp app, TierRecord record) {
        assertThat(record.state().appCreations())
                .isEqualTo(1 + app.profile().dependencies().size());
    }
}

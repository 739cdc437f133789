package org.coopcloud.recipeci.tiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeAssertions;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.run.TierRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The RESTORE checks. Before these run, the marker was damaged and the backup's snapshot restored. */
@Tier(Stage.RESTORE)
@DisplayName("RESTORE (generic)")
public class RestoreTier {

    @Test
    @DisplayName("after the restore every service converged and the app is ready")
    void convergedAndReady(DeployedApp app) {
        RecipeAssertions.assertThat(app).hasConverged().servesHttp(app.profile().healthPath());
    }

    @Test
    @DisplayName("the marker damaged after the backup is back")
    void markerIsBack(DeployedApp app, TierRecord record) {
        String marker = record.state().backupMarker().orElseThrow();
        assertThat(record.markerNow())
                .as("the marker %s of %s after the restore%n%s", marker, app.stackName(), app.taskTable())
                .contains(marker);
    }
}

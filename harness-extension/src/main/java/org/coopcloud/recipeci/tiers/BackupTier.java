package org.coopcloud.recipeci.tiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeAssertions;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.run.TierRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The BACKUP checks of backup-capable recipes ({@code backupbot.backup} labels). Before these run, a marker was
 * written through the app and a backup taken the way the labels declare.
 */
@Tier(Stage.BACKUP)
@DisplayName("BACKUP (generic)")
public class BackupTier {

    @Test
    @DisplayName("the backup produced a snapshot")
    void snapshotTaken(DeployedApp app, TierRecord record) {
        assertThat(record.state().snapshotId()).isPresent();
    }

    @Test
    @DisplayName("the snapshot holds the marker written before it")
    void snapshotHoldsTheMarker(DeployedApp app, TierRecord record) {
        assertThat(record.state().snapshotHoldsMarker())
                .as(
                        "snapshot %s holds marker %s",
                        record.state().snapshotId().orElse("?"),
                        record.state().backupMarker().orElse("?"))
                .isTrue();
    }

    @Test
    @DisplayName("the app is still converged and ready after the backup")
    void appUnharmed(DeployedApp app) {
        RecipeAssertions.assertThat(app).hasConverged().servesHttp(app.profile().healthPath());
    }
}

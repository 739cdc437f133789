package org.coopcloud.recipeci.internal.run;

import java.util.List;
import java.util.Optional;

/**
 * What the tier operations of this run did, for the tests that check them. Kept per run (keyed by run id and pid,
 * never by app domain) and written to the run's {@code state/} directory.
 *
 * @param appCreations how many apps this run created (one, plus declared dependencies)
 * @param upgradeMarker the marker written through the app before the upgrade
 * @param volumesBeforeUpgrade the names of the app's volumes before the upgrade
 * @param backupMarker the marker written before the backup
 * @param snapshotId the snapshot the backup produced
 * @param snapshotHoldsMarker whether that snapshot holds the backup marker
 * @param backupAttempts how many backups were taken (more than one only with {@code backupVerify})
 */
public record OperationState(
        int appCreations,
        Optional<String> upgradeMarker,
        List<String> volumesBeforeUpgrade,
        Optional<String> backupMarker,
        Optional<String> snapshotId,
        boolean snapshotHoldsMarker,
        int backupAttempts) {

    public OperationState {
        volumesBeforeUpgrade = List.copyOf(volumesBeforeUpgrade);
    }

    public static OperationState initial() {
        return new OperationState(0, Optional.empty(), List.of(), Optional.empty(), Optional.empty(), false, 0);
    }

    public OperationState withAppCreations(int n) {
        return new OperationState(
                n, upgradeMarker, volumesBeforeUpgrade, backupMarker, snapshotId, snapshotHoldsMarker, backupAttempts);
    }

    /** @param marker the marker, or null when the recipe offers no way to keep one */
    public OperationState withUpgrade(String marker, List<String> volumes) {
        return new OperationState(
                appCreations,
                Optional.ofNullable(marker),
                volumes,
                backupMarker,
                snapshotId,
                snapshotHoldsMarker,
                backupAttempts);
    }

    public OperationState withBackup(String marker, String snapshot, boolean holdsMarker, int attempts) {
        return new OperationState(
                appCreations,
                upgradeMarker,
                volumesBeforeUpgrade,
                Optional.of(marker),
                Optional.of(snapshot),
                holdsMarker,
                attempts);
    }
}

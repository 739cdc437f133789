package org.coopcloud.recipeci.internal.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/**
 * The operations of the UPGRADE, BACKUP and RESTORE tiers on the run's one app, and what they leave for the tests
 * to check ({@link OperationState}, persisted as {@code state/opstate-<run-id>-<pid>.json}).
 */
final class TierOperations {
    private static final int BACKUP_TRIES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunLog log;
    private final DeployDriver driver;
    private final RecipeCatalogue catalogue;
    private final RunDirectory runDir;
    private final AppDeployment deployment;
    private final DeployCounter counter;
    private volatile OperationState state = OperationState.initial();
    private volatile Snapshot snapshot;

    TierOperations(RunSetup setup, AppDeployment deployment, DeployCounter counter) {
        this.log = setup.log();
        this.driver = setup.driver();
        this.catalogue = setup.catalogue();
        this.runDir = setup.runDir();
        this.deployment = deployment;
        this.counter = counter;
    }

    /** What the operations did so far; the app creations are counted live, so a second one would show. */
    OperationState state() {
        return state.withAppCreations(counter.created().size());
    }

    /** Marks the app's state and volumes, then redeploys it in place at the code under test. */
    void upgrade(RecipeSource underTest, RecipeProfile profile) {
        LiveApp app = deployment.app();
        AppInstance before = app.instance();
        List<String> volumes = app.volumes();
        if (app.marker().available(app)) {
            String marker = StateMarker.fresh("upgrade");
            app.marker().write(app, marker);
            update(state.withUpgrade(marker, volumes));
        } else {
            log.info(before.domain() + ": no marker endpoint and no backup path — the upgrade keeps no state marker");
            update(state.withUpgrade(null, volumes));
        }
        log.info(before.domain() + ": upgrading in place from " + app.source().ref() + " to " + underTest.ref() + " ("
                + underTest.shortCommit() + ")");
        catalogue.switchTo(underTest);
        deployment.redeploy(underTest, profile.upgradeExtraEnv());
        log.info(before.domain() + ": upgraded to " + underTest.expectedVersionLabel());
    }

    /** Writes a marker, then takes a backup; with {@code backupVerify}, retries until the snapshot holds it. */
    void backup(RecipeProfile profile) {
        LiveApp app = deployment.app();
        AppInstance instance = app.instance();
        String marker = StateMarker.fresh("backup");
        app.marker().write(app, marker);
        int tries = profile.backupVerify() ? BACKUP_TRIES : 1;
        RecipeCiException last = null;
        for (int attempt = 1; attempt <= tries; attempt++) {
            String id = "snapshot-" + attempt;
            Path dir = runDir.fresh("snapshots", id);
            try {
                Snapshot taken = driver.backup(instance, id, dir);
                boolean holds = taken.holds(marker);
                snapshot = taken;
                if (!holds && !profile.backupVerify()) {
                    log.warn(instance.domain() + ": backup " + id + " does not hold the marker" + whatItHolds(taken));
                }
                update(state.withBackup(marker, id, holds, attempt));
                if (holds || !profile.backupVerify()) {
                    return;
                }
                log.warn(instance.domain() + ": backup " + id + " does not hold the marker" + whatItHolds(taken)
                        + " — taking it again (" + attempt + "/" + tries + ")");
            } catch (RecipeCiException e) {
                last = e;
                update(state.withBackup(marker, id, false, attempt));
                if (!profile.backupVerify()) {
                    throw e;
                }
                log.warn(
                        instance.domain() + ": backup attempt " + attempt + "/" + tries + " failed: " + e.getMessage());
            }
        }
        throw new DeployFailedException("backup of " + instance.domain() + " did not produce a snapshot holding the"
                + " marker in " + tries + " tries"
                + (snapshot == null ? "" : whatItHolds(snapshot))
                + (last == null ? "" : "; last error: " + last.getMessage()));
    }

    /** ": db: /var/lib/…/dump.sql is an empty file" when copied paths hold nothing (a hook that wrote no dump). */
    private static String whatItHolds(Snapshot snapshot) {
        List<String> empty = snapshot.emptyEntries();
        return empty.isEmpty() ? "" : ": " + String.join("; ", empty);
    }

    /** Damages the marker, restores the snapshot, and waits for the app to be ready again. */
    void restore() {
        if (snapshot == null) {
            throw new DeployFailedException("there is no snapshot to restore: the backup tier took none");
        }
        LiveApp app = deployment.app();
        app.marker().write(app, StateMarker.fresh("damaged"));
        deployment.restore(snapshot);
    }

    /** The marker the app holds now; empty when it has none. */
    Optional<String> markerNow() {
        LiveApp app = deployment.app();
        return app.marker().read(app);
    }

    private void update(OperationState next) {
        state = next;
        next = state();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("appCreations", next.appCreations());
        json.put("upgradeMarker", next.upgradeMarker().orElse(null));
        json.put("volumesBeforeUpgrade", next.volumesBeforeUpgrade());
        json.put("backupMarker", next.backupMarker().orElse(null));
        json.put("snapshotId", next.snapshotId().orElse(null));
        json.put("snapshotHoldsMarker", next.snapshotHoldsMarker());
        json.put("backupAttempts", next.backupAttempts());
        Path file = runDir.stateFile("opstate");
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
        } catch (IOException e) {
            log.warn("cannot write the op state " + file + ": " + e.getMessage());
        }
    }
}

package org.coopcloud.recipeci.recipes.pgnotes;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.ReadyProbe;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;

/**
 * The demo recipe {@code pgnotes}: an app keeping notes in a real PostgreSQL, backed up by a {@code pg_dump} in its
 * backupbot hooks. Before the upgrade and before the backup it writes a note through the app; before the restore it
 * deletes every note. The CUSTOM tier ({@link PgnotesCustomTier}) then proves the note from before the upgrade is
 * still listed (with the tag the 1.1 migration gave it) and the note from before the backup is back.
 */
public final class PgnotesProfile implements RecipeProfile {
    /** What the hooks below wrote or did in this run; read by the CUSTOM tier through {@code app.profile()}. */
    private volatile String noteBeforeUpgrade;

    private volatile String versionBeforeUpgrade;

    private volatile String noteBeforeBackup;
    private volatile boolean notesDeletedBeforeRestore;

    @Override
    public String recipe() {
        return "pgnotes";
    }

    @Override
    public String healthPath() {
        return "/health";
    }

    /** The marker lives in PostgreSQL (table {@code marker}): the backup holds it in the dump. */
    @Override
    public Optional<String> markerPath() {
        return Optional.of("/cgi-bin/marker");
    }

    /** {@code /health} is kept by a watchdog querying PostgreSQL every second: two answers in a row. */
    @Override
    public ReadyProbe readyProbe() {
        return ReadyProbe.http("/health").stable(2);
    }

    /** The dump must hold the marker row; a backup that does not is taken again. */
    @Override
    public boolean backupVerify() {
        return true;
    }

    /** The first start creates the cluster (initdb), and the app waits for it before it migrates and serves. */
    @Override
    public Duration deployTimeout() {
        return Duration.ofMinutes(4);
    }

    @Override
    public void beforeOperation(Stage stage, DeployedApp app) {
        switch (stage) {
            case UPGRADE -> {
                versionBeforeUpgrade = app.version();
                noteBeforeUpgrade = post(app, "written at " + app.version() + " before the upgrade");
            }
            case BACKUP -> noteBeforeBackup = post(app, "written before the backup");
            case RESTORE -> {
                given().spec(app.http()).delete("/cgi-bin/notes").then().statusCode(200);
                notesDeletedBeforeRestore = true;
            }
            default -> {}
        }
    }

    /** The note written through the app before the upgrade, if the run upgraded. */
    Optional<String> noteBeforeUpgrade() {
        return Optional.ofNullable(noteBeforeUpgrade);
    }

    /** The release the upgrade started from, if the run upgraded. */
    Optional<String> versionBeforeUpgrade() {
        return Optional.ofNullable(versionBeforeUpgrade);
    }

    /** The note written before the backup, if the run restored after deleting every note. */
    Optional<String> noteRestored() {
        return notesDeletedBeforeRestore ? Optional.ofNullable(noteBeforeBackup) : Optional.empty();
    }

    private static String post(DeployedApp app, String what) {
        String note = "pgnotes-ci " + UUID.randomUUID().toString().substring(0, 8) + ": " + what;
        given().spec(app.http()).body(note).post("/cgi-bin/notes").then().statusCode(201);
        return note;
    }
}

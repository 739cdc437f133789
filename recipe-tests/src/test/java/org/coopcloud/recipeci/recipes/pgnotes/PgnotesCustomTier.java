package org.coopcloud.recipeci.recipes.pgnotes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.ExecResult;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The functional tests of {@code pgnotes}, as its maintainer would write them: through the app over HTTP, into the
 * database with {@code psql} in the {@code db} service, and in the services' logs. They run against the code under
 * test, after the upgrade, the backup and the restore when the run has them.
 */
@RecipeTest(recipe = "pgnotes")
@Tier(Stage.CUSTOM)
@DisplayName("CUSTOM (pgnotes)")
class PgnotesCustomTier {

    /** {@code psql} in the db container, over its unix socket (trusted there): one value per line, unaligned. */
    private static String psql(DeployedApp app, String sql) {
        ExecResult result = app.exec("db", "psql", "-X", "-A", "-t", "-U", "pgnotes", "-d", "pgnotes", "-c", sql);
        assertThat(result.exitCode())
                .as("psql -c \"%s\": %s", sql, result.stderr())
                .isZero();
        return result.stdout().strip();
    }

    private static boolean is10(DeployedApp app) {
        return app.version().startsWith("1.0.");
    }

    @Test
    @DisplayName("a note posted through the app is listed as JSON, and is a row in PostgreSQL")
    void aNoteIsStoredInPostgres(DeployedApp app) {
        String id = given().spec(app.http())
                .body("buy oat milk")
                .post("/cgi-bin/notes")
                .then()
                .statusCode(201)
                .extract()
                .asString()
                .strip();

        given().spec(app.http())
                .get("/cgi-bin/notes")
                .then()
                .contentType(ContentType.JSON)
                .body("notes.body", hasItem("buy oat milk"));
        assertThat(psql(app, "SELECT body FROM notes WHERE id = " + Long.parseLong(id)))
                .isEqualTo("buy oat milk");
    }

    @Test
    @DisplayName("from 1.1 on, a note can carry a tag and be listed by it")
    void tagsFrom11(DeployedApp app) {
        assumeFalse(is10(app), "1.0 has no tags (schema 1)");
        given().spec(app.http())
                .body("call the plumber")
                .queryParam("tag", "home")
                .post("/cgi-bin/notes")
                .then()
                .statusCode(201);

        given().spec(app.http())
                .queryParam("tag", "home")
                .get("/cgi-bin/notes")
                .then()
                .body("notes.body", hasItem("call the plumber"))
                .body("notes.tag.unique()", equalTo(List.of("home")));
        given().spec(app.http())
                .queryParam("tag", "Not A Tag")
                .body("x")
                .post("/cgi-bin/notes")
                .then()
                .statusCode(400);
    }

    @Test
    @DisplayName("the note written before the upgrade is still there, tagged 'untagged' by the 1.1 migration")
    void aNoteFromBeforeTheUpgradeSurvivedTheMigration(DeployedApp app) {
        Optional<String> note = profile(app).noteBeforeUpgrade();
        assumeTrue(note.isPresent(), "the run did not upgrade");
        assumeFalse(is10(app), "the code under test is 1.0: no migration to check");
        String from = profile(app).versionBeforeUpgrade().orElseThrow();
        assumeTrue(from.startsWith("1.0."), "the upgrade started at " + from + ": no migration to check");
        assumeTrue(
                restoreBroughtBack(app),
                "every note was deleted before the restore, and the restore did not bring them back (see L3)");

        assertThat(psql(app, "SELECT value FROM pgnotes_meta WHERE key = 'schema_version'"))
                .isEqualTo("2");
        given().spec(app.http())
                .queryParam("tag", "untagged")
                .get("/cgi-bin/notes")
                .then()
                .body("notes.body", hasItem(note.get()));
    }

    @Test
    @DisplayName("the note written before the backup came back with the restore, after every note was deleted")
    void theRestoreBroughtBackTheNotes(DeployedApp app) {
        Optional<String> note = profile(app).noteRestored();
        assumeTrue(note.isPresent(), "the run did not back up, delete the notes and restore");

        assertThat(psql(
                        app,
                        "SELECT count(*) FROM notes WHERE body = '" + note.get().replace("'", "''") + "'"))
                .isEqualTo("1");
    }

    @Test
    @DisplayName("the database is consistent: a fresh dump of it loads into an empty database without an error")
    void aDumpLoadsCleanly(DeployedApp app) {
        psql(app, "DROP DATABASE IF EXISTS pgnotes_check");
        psql(app, "CREATE DATABASE pgnotes_check");
        try {
            ExecResult loaded = app.exec(
                    "db",
                    "sh",
                    "-c",
                    "set -o pipefail 2>/dev/null; pg_dump -U pgnotes -d pgnotes"
                            + " | psql -X -q -v ON_ERROR_STOP=1 -U pgnotes -d pgnotes_check -o /dev/null");
            assertThat(loaded.exitCode()).as(loaded.stderr()).isZero();
            assertThat(loaded.stderr()).doesNotContain("ERROR");
        } finally {
            psql(app, "DROP DATABASE IF EXISTS pgnotes_check");
        }
    }

    @Test
    @DisplayName("the app reports its versions and the pgtune overlay's sizes")
    void infoShowsTheOverlaysSettings(DeployedApp app) {
        String upstream = app.version().substring(app.version().indexOf('+') + 1);
        given().spec(app.http())
                .get("/cgi-bin/info")
                .then()
                .statusCode(200)
                .body("app", equalTo(upstream))
                .body("schema_version", equalTo(is10(app) ? 1 : 2))
                .body("max_connections", equalTo(20))
                .body("shared_buffers", equalTo("32MB"));
    }

    @Test
    @DisplayName("the logs: the app found PostgreSQL and migrated, PostgreSQL accepts connections")
    void theLogsTellTheStartup(DeployedApp app) {
        assertThat(app.logs("app"))
                .contains("pgnotes: PostgreSQL at")
                .contains("pgnotes: schema version " + (is10(app) ? 1 : 2));
        assertThat(app.logs("db")).contains("database system is ready to accept connections");
    }

    /** True unless the run deleted every note before a restore that then did not bring the backed-up one back. */
    private static boolean restoreBroughtBack(DeployedApp app) {
        Optional<String> restored = profile(app).noteRestored();
        return restored.isEmpty()
                || psql(
                                app,
                                "SELECT count(*) FROM notes WHERE body = '"
                                        + restored.get().replace("'", "''") + "'")
                        .equals("1");
    }

    private static PgnotesProfile profile(DeployedApp app) {
        assumeTrue(
                app.profile() instanceof PgnotesProfile,
                "the run's profile of pgnotes is not PgnotesProfile: "
                        + app.profile().getClass());
        return (PgnotesProfile) app.profile();
    }
}

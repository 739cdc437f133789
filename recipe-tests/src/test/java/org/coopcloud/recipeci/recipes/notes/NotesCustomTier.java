package org.coopcloud.recipeci.recipes.notes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.restassured.http.ContentType;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeAssertions;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The functional tests of {@code notes} — the example to copy for a recipe's own tier. They run against the code
 * under test (after the upgrade, when the run has one), on the app every tier shares.
 */
@RecipeTest(recipe = "notes")
@Tier(Stage.CUSTOM)
@DisplayName("CUSTOM (notes)")
class NotesCustomTier {

    @Test
    @DisplayName("a note posted is listed, in 1.1's JSON format")
    void storesAndListsANote(DeployedApp app) {
        given().spec(app.http())
                .body("buy oat milk")
                .post("/cgi-bin/notes")
                .then()
                .statusCode(201);

        given().spec(app.http())
                .get("/cgi-bin/notes")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("notes", org.hamcrest.Matchers.hasItem("buy oat milk"));
    }

    @Test
    @DisplayName("an empty note is refused")
    void refusesAnEmptyNote(DeployedApp app) {
        given().spec(app.http()).body("").post("/cgi-bin/notes").then().statusCode(400);
    }

    @Test
    @DisplayName("notes live on the notes volume, as the backup labels expect")
    void notesAreOnTheVolume(DeployedApp app) {
        given().spec(app.http())
                .body("kept on disk")
                .post("/cgi-bin/notes")
                .then()
                .statusCode(201);

        assertThat(app.exec("app", "cat", "/data/notes.txt").stdout()).contains("kept on disk");
    }

    @Test
    @DisplayName("the front page names the upstream version")
    void frontPage(DeployedApp app) {
        RecipeAssertions.assertThat(app).hasConverged().servesHttp("/");
        String upstream = app.version().substring(app.version().indexOf('+') + 1);
        given().spec(app.http()).get("/").then().body(containsString("Notes " + upstream));
    }
}

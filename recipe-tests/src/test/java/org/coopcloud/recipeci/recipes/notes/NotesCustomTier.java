package org.coopcloud.recipeci.recipes.notes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
    @DisplayName("a note posted is listed (1.0 lists plain text, 1.1 JSON)")
    void storesAndListsANote(DeployedApp app) {
        given().spec(app.http())
                .body("buy oat milk")
                .post("/cgi-bin/notes")
                .then()
                .statusCode(201);

        String listing = given().spec(app.http())
                .get("/cgi-bin/notes")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(listing).contains("buy oat milk");
    }

    @Test
    @DisplayName("from 1.1 on, notes are listed as JSON with a count")
    void listsJsonFrom11(DeployedApp app) {
        assumeFalse(app.version().startsWith("1.0."), "1.0 lists notes as plain text");
        given().spec(app.http()).body("counted").post("/cgi-bin/notes").then().statusCode(201);

        given().spec(app.http())
                .get("/cgi-bin/notes")
                .then()
                .contentType(ContentType.JSON)
                .body("notes", org.hamcrest.Matchers.hasItem("counted"))
                .body("count", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
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

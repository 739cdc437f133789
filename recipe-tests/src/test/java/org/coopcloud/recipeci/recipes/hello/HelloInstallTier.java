package org.coopcloud.recipeci.recipes.hello;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a freshly installed {@code hello} must show, on top of the generic INSTALL checks. */
@RecipeTest(recipe = "hello")
@Tier(Stage.INSTALL)
@DisplayName("INSTALL (hello)")
class HelloInstallTier {

    @Test
    @DisplayName("the front page greets with the upstream version of the release")
    void frontPageShowsUpstreamVersion(DeployedApp app) {
        String upstream = app.version().substring(app.version().indexOf('+') + 1);
        given().spec(app.http()).get("/cgi-bin/version").then().statusCode(200).body(containsString(upstream));
    }

    @Test
    @DisplayName("the app's secret is mounted with a generated 32-character value")
    void secretIsMountedWithAGeneratedValue(DeployedApp app) {
        assumeFalse(app.version().startsWith("1.0."), "hello shows its secret's presence from 1.1.0 on");
        given().spec(app.http())
                .get("/cgi-bin/secret")
                .then()
                .statusCode(200)
                .body(containsString("greeting_key: present"))
                // recipe-ci generates 32-character secrets; the page tells only the length.
                .body(containsString("length: 32"));
    }
}

package org.coopcloud.recipeci.tiers;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The INSTALL checks every recipe gets: the app converged, answers its health path, and runs the requested version. */
@Tier(Stage.INSTALL)
@DisplayName("INSTALL (generic)")
public class InstallTier {

    @Test
    @DisplayName("every service has all replicas running and no update in flight")
    void allServicesConverged(DeployedApp app) {
        assertThat(app.services())
                .as("services of %s%n%s", app.stackName(), app.taskTable())
                .isNotEmpty()
                .allMatch(ServiceState::converged, "converged");
    }

    @Test
    @DisplayName("the health path answers an accepted status")
    void healthPathAnswers(DeployedApp app) {
        String path = app.profile().healthPath();
        int status = RestAssured.given().spec(app.http()).get(path).statusCode();
        assertThat(app.profile().healthOk(status))
                .as("GET %s%s answered %d, which the recipe's profile does not accept", app.baseUrl(), path, status)
                .isTrue();
    }

    @Test
    @DisplayName("the deployed version label is the requested version")
    void deployedVersionIsRequested(DeployedApp app) {
        assertThat(app.deployedVersion())
                .as(
                        "label coop-cloud.%s.version on %s_app (code under test %s)",
                        app.stackName(), app.stackName(), app.codeUnderTest())
                .contains(app.version());
    }
}

package org.coopcloud.recipeci;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link DeployedApp}; see {@link RecipeAssertions#assertThat(DeployedApp)}. */
public final class DeployedAppAssert extends AbstractAssert<DeployedAppAssert, DeployedApp> {

    DeployedAppAssert(DeployedApp app) {
        super(app, DeployedAppAssert.class);
    }

    /** Every service has all replicas running and no update or rollback in flight. */
    public DeployedAppAssert hasConverged() {
        isNotNull();
        var services = actual.services();
        if (services.isEmpty() || !services.stream().allMatch(ServiceState::converged)) {
            failWithMessage(
                    "Expected every service of %s to have converged, but they are:%n  %s%ntasks:%n%s",
                    actual.stackName(),
                    services.isEmpty()
                            ? "(no services)"
                            : String.join(
                                    "\n  ",
                                    services.stream()
                                            .map(ServiceState::toString)
                                            .toList()),
                    actual.taskTable());
        }
        return this;
    }

    /** GET {@code path} answers a 2xx or 3xx status. */
    public DeployedAppAssert servesHttp(String path) {
        isNotNull();
        Response response = RestAssured.given()
                .spec(actual.http())
                .redirects()
                .follow(false)
                .get(path);
        int status = response.statusCode();
        if (status < 200 || status >= 400) {
            String body = response.asString();
            failWithMessage(
                    "Expected GET %s%s to answer 2xx or 3xx, but it answered %d:%n  %s%ntasks:%n%s",
                    actual.baseUrl(),
                    path,
                    status,
                    body.length() > 300 ? body.substring(0, 300) + "…" : body,
                    actual.taskTable());
        }
        return this;
    }

    /** The app's {@code coop-cloud.<stack>.version} label is {@code version}. */
    public DeployedAppAssert hasVersion(String version) {
        isNotNull();
        var label = actual.deployedVersion();
        if (label.isEmpty() || !label.get().equals(version)) {
            failWithMessage(
                    "Expected %s to run version %s, but its version label is %s%ntasks:%n%s",
                    actual.stackName(), version, label.map(v -> "'" + v + "'").orElse("missing"), actual.taskTable());
        }
        return this;
    }

    /** The app's state marker is {@code marker}. */
    public DeployedAppAssert holdsMarker(String marker) {
        isNotNull();
        var held = actual.readMarker();
        if (held.isEmpty() || !held.get().equals(marker)) {
            failWithMessage(
                    "Expected %s to hold the marker '%s', but it holds %s%ntasks:%n%s",
                    actual.stackName(), marker, held.map(m -> "'" + m + "'").orElse("none"), actual.taskTable());
        }
        return this;
    }
}

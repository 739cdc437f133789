package org.coopcloud.recipeci;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link DeployedApp}, self-typed the AssertJ way so a recipe can extend them with its own:
 *
 * <pre>{@code
 * public class NotesAssert extends AbstractDeployedAppAssert<NotesAssert> {
 *     public NotesAssert(DeployedApp app) { super(app, NotesAssert.class); }
 *     public NotesAssert listsNote(String text) { ...; return myself; }
 * }
 * }</pre>
 *
 * Failure messages show the app's task table.
 *
 * @param <SELF> the concrete assertion class, returned by every assertion for chaining
 */
public abstract class AbstractDeployedAppAssert<SELF extends AbstractDeployedAppAssert<SELF>>
        extends AbstractAssert<SELF, DeployedApp> {

    protected AbstractDeployedAppAssert(DeployedApp app, Class<?> selfType) {
        super(app, selfType);
    }

    /** Every service has all replicas running and no update or rollback in flight. */
    public SELF hasConverged() {
        isNotNull();
        List<ServiceState> services = actual.services();
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
        return myself;
    }

    /** GET {@code path} answers a 2xx or 3xx status. */
    public SELF servesHttp(String path) {
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
        return myself;
    }

    /** The app's {@code coop-cloud.<stack>.version} label is {@code version}. */
    public SELF hasVersion(String version) {
        isNotNull();
        var label = actual.deployedVersion();
        if (label.isEmpty() || !label.get().equals(version)) {
            failWithMessage(
                    "Expected %s to run version %s, but its version label is %s%ntasks:%n%s",
                    actual.stackName(), version, label.map(v -> "'" + v + "'").orElse("missing"), actual.taskTable());
        }
        return myself;
    }
}

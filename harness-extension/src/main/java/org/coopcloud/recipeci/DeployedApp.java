package org.coopcloud.recipeci;

import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The app deployed for this run, handed to every tier test method that declares it as a parameter. Live queries
 * ({@link #services()}, {@link #deployedVersion()}) ask the swarm each time they are called.
 *
 * <pre>{@code
 * @Test
 * void greets(DeployedApp app) {
 *     given().spec(app.http()).get("/").then().statusCode(200);
 * }
 * }</pre>
 */
public interface DeployedApp {
    RecipeName recipe();

    /** The app's domain; every swarm object of the app is named after it. */
    AppDomain domain();

    StackName stackName();

    /**
     * The version the run deployed: the release tag of the code under test, or the release it builds on. The app's
     * {@code coop-cloud.<stack>.version} label should say the same (see {@link #deployedVersion()}).
     */
    String version();

    /** The git ref and commit of the code under test, e.g. {@code broken-start@1a2b3c4d}. */
    String codeUnderTest();

    /**
     * Where test traffic to the app's main router goes — the Traefik router whose rule is
     * {@code Host(`${DOMAIN}`)}. With the default bridge it is a 127.0.0.1 port of the harness that leads, through
     * an edge container on the {@code proxy} network, to the port the router's
     * {@code loadbalancer.server.port} names; with {@code recipeci.front-door=traefik} it is
     * {@code https://<domain>}. Requests to it must carry the app's domain as their {@code Host} header, as
     * {@link #http()} does.
     *
     * @throws IllegalStateException when the main router cannot be reached from here (its service is Traefik's own,
     *     such as {@code api@internal})
     */
    URI baseUrl();

    /**
     * Where test traffic to another router of the app goes, by the name its labels give it
     * ({@code traefik.http.routers.<router>.rule}).
     *
     * @throws IllegalArgumentException naming the app's routers when it has none of that name
     * @throws IllegalStateException when that router cannot be reached from here, with the reason
     */
    URI baseUrl(String router);

    /**
     * A rest-assured request specification for the main router: its base URL, the app's domain as {@code Host}
     * header, and the recipe's HTTP timeouts.
     */
    RequestSpecification http();

    /**
     * A rest-assured request specification for another router of the app, by name: its base URL, the first host of
     * its rule as {@code Host} header (the app's domain when the rule names none), and the recipe's HTTP timeouts.
     *
     * <pre>{@code
     * given().spec(app.http("admin")).get("/login").then().statusCode(200);
     * }</pre>
     *
     * @throws IllegalArgumentException naming the app's routers when it has none of that name
     * @throws IllegalStateException when that router cannot be reached from here, with the reason
     */
    RequestSpecification http(String router);

    /** The app's swarm services as they are now. */
    List<ServiceState> services();

    /**
     * The version label the running app carries; empty when its {@code app} service has no such label or is gone.
     *
     * @throws RuntimeException when docker cannot say (it does not answer): not the same as an app without a label
     */
    Optional<String> deployedVersion();

    /** The app's task table ({@code docker stack ps}), for failure messages. */
    String taskTable();

    /** The recipe's profile: health path, timeouts, ... */
    RecipeProfile profile();

    /**
     * Runs a command in a running task of one of the app's services ({@code docker exec}), e.g.
     * {@code app.exec("app", "cat", "/data/notes.txt")}. Argv is passed as is, without a shell.
     *
     * @throws DeployFailedException when the service has no running task
     */
    ExecResult exec(String service, String... argv);

    /** The app's env, as written to its env file (secret values are never in it). */
    Map<String, String> env();

    /** The last 200 lines a service logged. */
    String logs(String service);

    /**
     * A dependency the recipe's profile declares, deployed before this app on its own domain.
     *
     * @throws org.opentest4j.TestAbortedException when it did not come up: the calling test is skipped, with why
     * @throws IllegalArgumentException when the profile does not declare it
     */
    DeployedApp dependency(String recipe);

    /** The names of the app's volumes now. */
    List<String> volumes();
}

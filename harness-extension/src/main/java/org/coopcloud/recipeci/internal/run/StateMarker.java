package org.coopcloud.recipeci.internal.run;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.AppView;
import org.coopcloud.recipeci.internal.process.CommandResult;

/**
 * A short text kept in the app's state, to prove that state survives an upgrade and comes back with a restore:
 * written and read through the app's marker endpoint (the profile's {@code markerPath}), or, without one, as a file
 * in the app service's first backup path via {@code docker exec}.
 *
 * <p>The endpoint is called with the app's own {@link DeployedApp#http()} — rest-assured, through the front door,
 * with the app's domain as {@code Host} and the profile's timeouts — so the marker takes the same path as every
 * test. (The JDK's HttpClient refuses to set {@code Host} unless the whole JVM allows it.)
 */
final class StateMarker {
    static final String FILE = ".recipe-ci-marker";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<String> httpPath;
    // Fixed at the first write: an upgrade may change the labels the location was derived from.
    private volatile String file;

    StateMarker(Optional<String> httpPath) {
        this.httpPath = httpPath;
    }

    static String fresh(String purpose) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "recipe-ci-" + purpose + "-" + HexFormat.of().formatHex(bytes);
    }

    void write(LiveApp app, String value) {
        if (httpPath.isPresent()) {
            int status =
                    send(app, spec -> spec.body(value).post(httpPath.get())).statusCode();
            if (status >= 300) {
                throw new DeployFailedException(
                        "writing the marker through POST " + httpPath.get() + " answered HTTP " + status);
            }
            return;
        }
        AppInstance instance = app.instance();
        String file = file(instance, app.view());
        CommandResult written = app.view()
                .exec(instance.domain(), "app", List.of("sh", "-c", "cat > \"$0\"", file), Optional.of(value));
        if (!written.ok()) {
            throw new DeployFailedException(
                    "writing the marker file " + file + " into the app failed: " + written.describe());
        }
    }

    /** The marker the app holds now; empty when it has none. */
    Optional<String> read(LiveApp app) {
        if (httpPath.isPresent()) {
            Response response = send(app, spec -> spec.get(httpPath.get()));
            return response.statusCode() == 200
                    ? Optional.of(response.asString().strip())
                    : Optional.empty();
        }
        AppInstance instance = app.instance();
        CommandResult read =
                app.view().exec(instance.domain(), "app", List.of("cat", file(instance, app.view())), Optional.empty());
        return read.ok() ? Optional.of(read.stdout().strip()) : Optional.empty();
    }

    /** Whether markers can be kept at all: an endpoint, or a backup path to put the file in. */
    boolean available(LiveApp app) {
        return httpPath.isPresent() || app.view().backupPath(app.domain()).isPresent();
    }

    private String file(AppInstance app, AppView view) {
        if (file == null) {
            file = locate(app, view);
        }
        return file;
    }

    private static String locate(AppInstance app, AppView view) {
        return view.backupPath(app.domain())
                .map(dir -> dir.replaceAll("/+$", "") + "/" + FILE)
                .orElseThrow(
                        () -> new RecipeCiException(
                                "the recipe has no markerPath in its profile and no"
                                        + " backed-up path or volume on its app service: recipe-ci has nowhere to keep a state marker"));
    }

    /** One request through the app's front door; no answer at all is a failed operation, with the client's reason. */
    private Response send(DeployedApp app, Function<RequestSpecification, Response> call) {
        try {
            return call.apply(given().spec(app.http()));
        } catch (RecipeCiException e) {
            throw e;
        } catch (Exception e) {
            // rest-assured rethrows the client's IOExceptions unchecked: a reset, an empty reply, a timeout.
            throw new DeployFailedException(
                    "the app's marker endpoint " + httpPath.orElse("") + " did not answer: " + e, e);
        }
    }
}

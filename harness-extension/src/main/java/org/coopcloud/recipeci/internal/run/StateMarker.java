package org.coopcloud.recipeci.internal.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.AppView;
import org.coopcloud.recipeci.internal.process.CommandResult;

/**
 * A short text kept in the app's state, to prove that state survives an upgrade and comes back with a restore:
 * written and read through the app's marker endpoint (the profile's {@code markerPath}), or, without one, as a file
 * in the app service's first backup path via {@code docker exec}.
 */
final class StateMarker {
    static final String FILE = ".recipe-ci-marker";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<String> httpPath;
    private final Duration timeout;
    // Fixed at the first write: an upgrade may change the labels the location was derived from.
    private volatile String file;

    StateMarker(Optional<String> httpPath, Duration timeout) {
        this.httpPath = httpPath;
        this.timeout = timeout;
    }

    static String fresh(String purpose) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "recipe-ci-" + purpose + "-" + HexFormat.of().formatHex(bytes);
    }

    void write(AppInstance app, AppView view, String value) {
        if (httpPath.isPresent()) {
            int status = send(HttpRequest.newBuilder(uri(app)).POST(HttpRequest.BodyPublishers.ofString(value)))
                    .statusCode();
            if (status >= 300) {
                throw new DeployFailedException(
                        "writing the marker through POST " + httpPath.get() + " answered HTTP " + status);
            }
            return;
        }
        String file = file(app, view);
        CommandResult written =
                view.exec(app.domain(), "app", List.of("sh", "-c", "cat > \"$0\"", file), Optional.of(value));
        if (!written.ok()) {
            throw new DeployFailedException(
                    "writing the marker file " + file + " into the app failed: " + written.describe());
        }
    }

    /** The marker the app holds now; empty when it has none. */
    Optional<String> read(AppInstance app, AppView view) {
        if (httpPath.isPresent()) {
            HttpResponse<String> response =
                    send(HttpRequest.newBuilder(uri(app)).GET());
            return response.statusCode() == 200 ? Optional.of(response.body().strip()) : Optional.empty();
        }
        CommandResult read = view.exec(app.domain(), "app", List.of("cat", file(app, view)), Optional.empty());
        return read.ok() ? Optional.of(read.stdout().strip()) : Optional.empty();
    }

    /** Whether markers can be kept at all: an endpoint, or a backup path to put the file in. */
    boolean available(AppInstance app, AppView view) {
        return httpPath.isPresent() || view.backupPath(app.domain()).isPresent();
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

    private URI uri(AppInstance app) {
        return app.baseUrl().resolve(httpPath.orElseThrow());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .build()
                    .send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeployFailedException(
                    "the app's marker endpoint " + httpPath.orElse("") + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecipeCiException("interrupted while talking to the app's marker endpoint");
        }
    }
}

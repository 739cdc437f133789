package org.coopcloud.recipeci.internal.lifecycle;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;

/** The {@link DeployedApp} tier tests see: the created app plus live queries through the driver. */
final class LiveApp implements DeployedApp {
    private final AppInstance instance;
    private final RecipeSource source;
    private final RecipeProfile profile;
    private final DeployDriver driver;

    LiveApp(AppInstance instance, RecipeSource source, RecipeProfile profile, DeployDriver driver) {
        this.instance = instance;
        this.source = source;
        this.profile = profile;
        this.driver = driver;
    }

    /**
     * Waits until the health path answers a status the profile accepts, for at most {@code limit}. Fails at once
     * when the app's services are gone (removed underneath the run).
     */
    void awaitHealthy(RunLog log, Duration limit) {
        URI health = baseUrl().resolve(profile.healthPath());
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(profile.httpTimeout()).build();
        NamedWait.of(domain() + " healthy at " + profile.healthPath(), limit)
                .until(
                        () -> {
                            String answer;
                            try {
                                int status = client.send(
                                                HttpRequest.newBuilder(health)
                                                        .timeout(profile.httpTimeout())
                                                        .GET()
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode();
                                if (profile.healthOk(status)) {
                                    return Poll.done("HTTP " + status, status);
                                }
                                answer = "HTTP " + status + " (not accepted)";
                            } catch (IOException e) {
                                answer = "no answer (" + e.getClass().getSimpleName() + ")";
                            }
                            if (driver.services(instance).isEmpty()) {
                                throw new DeployFailedException(
                                        "the services of " + domain() + " disappeared while waiting for " + health
                                                + " to answer (last: " + answer + ")");
                            }
                            return Poll.pending(answer);
                        },
                        log::info);
    }

    @Override
    public RecipeName recipe() {
        return instance.recipe();
    }

    @Override
    public AppDomain domain() {
        return instance.domain();
    }

    @Override
    public StackName stackName() {
        return instance.stack();
    }

    @Override
    public String version() {
        return source.expectedVersionLabel();
    }

    @Override
    public String codeUnderTest() {
        return source.ref() + "@" + source.shortCommit();
    }

    @Override
    public URI baseUrl() {
        return instance.baseUrl();
    }

    @Override
    public RequestSpecification http() {
        int millis = Math.toIntExact(profile.httpTimeout().toMillis());
        return new RequestSpecBuilder()
                .setBaseUri(baseUrl().toString())
                .setConfig(RestAssuredConfig.config()
                        .httpClient(HttpClientConfig.httpClientConfig()
                                .setParam("http.connection.timeout", millis)
                                .setParam("http.socket.timeout", millis)))
                .build();
    }

    @Override
    public List<ServiceState> services() {
        return driver.services(instance);
    }

    @Override
    public Optional<String> deployedVersion() {
        return driver.deployedVersion(instance);
    }

    @Override
    public String taskTable() {
        return driver.taskTable(instance.domain());
    }

    @Override
    public RecipeProfile profile() {
        return profile;
    }

    @Override
    public String toString() {
        return "DeployedApp[" + domain() + " at " + baseUrl() + ", " + codeUnderTest() + "]";
    }
}

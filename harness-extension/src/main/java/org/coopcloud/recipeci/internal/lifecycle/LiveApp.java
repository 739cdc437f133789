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
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.ExecResult;
import org.coopcloud.recipeci.OperationState;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;

/** The {@link DeployedApp} tier tests see: the created app plus live queries through the driver. */
final class LiveApp implements DeployedApp {
    private final RecipeProfile profile;
    private final DeployDriver driver;
    private final StateMarker marker;
    private final java.util.function.Supplier<OperationState> opState;
    // Replaced by the upgrade: the app is then the code under test, with its env.
    private volatile AppInstance instance;
    private volatile RecipeSource source;

    LiveApp(
            AppInstance instance,
            RecipeSource source,
            RecipeProfile profile,
            DeployDriver driver,
            java.util.function.Supplier<OperationState> opState) {
        this.instance = instance;
        this.source = source;
        this.profile = profile;
        this.driver = driver;
        this.opState = opState;
        this.marker = new StateMarker(profile.markerPath(), profile.httpTimeout());
    }

    private volatile java.util.function.Function<String, DeployedApp> dependencies = name -> {
        throw new IllegalArgumentException(
                "'" + name + "' is not a declared dependency: add it to the profile's" + " dependencies()");
    };

    void dependencies(java.util.function.Function<String, DeployedApp> resolver) {
        this.dependencies = resolver;
    }

    @Override
    public DeployedApp dependency(String recipe) {
        return dependencies.apply(recipe);
    }

    void upgraded(AppInstance newInstance, RecipeSource newSource) {
        this.instance = newInstance;
        this.source = newSource;
    }

    AppInstance instance() {
        return instance;
    }

    RecipeSource source() {
        return source;
    }

    StateMarker marker() {
        return marker;
    }

    /**
     * Waits until the profile's ready probe succeeds {@code stable} times in a row, for at most {@code limit}.
     * Fails at once when the app's services are gone (removed underneath the run).
     */
    void awaitReady(RunLog log, Duration limit) {
        RecipeProfile.ReadyProbe probe = profile.readyProbe();
        String what = probe.kind() == RecipeProfile.ReadyProbe.Kind.HTTP
                ? "ready at " + probe.path()
                : "ready on TCP port " + (probe.port() == 0 ? instance.port() : probe.port());
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(profile.httpTimeout()).build();
        int[] streak = {0};
        NamedWait.of(domain() + " " + what, limit)
                .until(
                        () -> {
                            String answer = probe.kind() == RecipeProfile.ReadyProbe.Kind.HTTP
                                    ? http(client, probe.path())
                                    : tcp(probe);
                            if (answer.startsWith("ok")) {
                                streak[0]++;
                                if (streak[0] >= probe.stable()) {
                                    return Poll.done(
                                            answer + (probe.stable() > 1 ? ", stable " + probe.stable() : ""),
                                            streak[0]);
                                }
                                return Poll.pending(answer + " (" + streak[0] + "/" + probe.stable() + ")");
                            }
                            streak[0] = 0;
                            if (driver.services(instance).isEmpty()) {
                                throw new DeployFailedException(
                                        "the services of " + domain() + " disappeared while waiting for it" + " to be "
                                                + what + " (last: " + answer + ")");
                            }
                            return Poll.pending(answer);
                        },
                        log::info);
    }

    private String http(HttpClient client, String path) throws InterruptedException {
        try {
            int status = client.send(
                            HttpRequest.newBuilder(baseUrl().resolve(path))
                                    .timeout(profile.httpTimeout())
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            return profile.healthOk(status) ? "ok: HTTP " + status : "HTTP " + status + " (not accepted)";
        } catch (IOException e) {
            return "no answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    private String tcp(RecipeProfile.ReadyProbe probe) {
        int port = probe.port() == 0 ? instance.port() : probe.port();
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port),
                    Math.toIntExact(profile.httpTimeout().toMillis()));
            return "ok: TCP " + port + " accepts";
        } catch (IOException e) {
            return "TCP " + port + " refuses (" + e.getClass().getSimpleName() + ")";
        }
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
    public ExecResult exec(String service, String... argv) {
        CommandResult result = driver.exec(instance, service, List.of(argv), Optional.empty());
        return new ExecResult(result.exitCode(), result.stdout(), result.stderr());
    }

    @Override
    public Map<String, String> env() {
        return instance.env().asMap();
    }

    @Override
    public String logs(String service) {
        return driver.logs(instance, service, 200);
    }

    @Override
    public OperationState opState() {
        return opState.get();
    }

    @Override
    public List<String> volumes() {
        return driver.volumes(instance.domain());
    }

    @Override
    public Optional<String> readMarker() {
        return marker.read(instance, driver);
    }

    @Override
    public String toString() {
        return "DeployedApp[" + domain() + " at " + baseUrl() + ", " + codeUnderTest() + "]";
    }
}

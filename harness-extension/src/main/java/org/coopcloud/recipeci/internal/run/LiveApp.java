package org.coopcloud.recipeci.internal.run;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.ExecResult;
import org.coopcloud.recipeci.HostFaultException;
import org.coopcloud.recipeci.ReadyProbe;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.AppView;
import org.coopcloud.recipeci.internal.deploy.FrontDoor;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;

/** The {@link DeployedApp} tier tests see: the created app plus live queries through the swarm. */
final class LiveApp implements DeployedApp {
    /** Between two answers of the ready probe (a streak of n ready answers spans n - 1 of them). */
    static final Duration READY_INTERVAL = Duration.ofMillis(100);
    /**
     * How often a ready wait that gets no answer asks docker whether the app's services are still there and whether
     * a task of the deploy failed.
     */
    private static final Duration SERVICES_CHECK = Duration.ofSeconds(1);
    /**
     * How long an app whose deploy had a task fail once must stay up after it answered: twice swarm's default restart
     * delay, so that a crash loop's next crash falls inside it unless its tasks live longer than that.
     */
    static final Duration PROBATION = Duration.ofSeconds(10);

    private final RecipeProfile profile;
    private final AppView view;
    private final StateMarker marker;
    // Replaced by the upgrade: the app is then the code under test, with its env.
    private volatile AppInstance instance;
    private volatile RecipeSource source;
    private volatile Function<String, DeployedApp> dependencies = name -> {
        throw new IllegalArgumentException(
                "'" + name + "' is not a declared dependency: add it to the profile's dependencies()");
    };

    LiveApp(AppInstance instance, RecipeSource source, RecipeProfile profile, AppView view) {
        this.instance = instance;
        this.source = source;
        this.profile = profile;
        this.view = view;
        this.marker = new StateMarker(profile.markerPath());
    }

    void dependencies(Function<String, DeployedApp> resolver) {
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

    AppView view() {
        return view;
    }

    /**
     * Waits until the profile's ready probe answers ready {@code stable} times in a row, {@link #READY_INTERVAL}
     * apart, for at most {@code limit}.
     * A probe that cannot get through (an empty reply or a reset while the bridge has no task to reach, a refused
     * connection) is "not yet", not a failure. Fails within a second when the app's services are gone (removed
     * underneath the run) or a task of the deploy failed.
     */
    void awaitReady(RunLog log, Duration limit) {
        ReadyProbe probe = profile.readyProbe();
        int stable = probe.stable();
        int[] streak = {0};
        long[] servicesChecked = {System.nanoTime()};
        NamedWait.of(domain() + " " + probe.describe(), limit)
                // A streak costs (stable - 1) intervals: a short one keeps "stable n" from adding seconds to every
                // deploy, and an app that answers early is noticed early.
                .every(READY_INTERVAL)
                .until(
                        () -> {
                            ReadyProbe.Answer answer = answer(probe);
                            if (answer.ready()) {
                                streak[0]++;
                                if (streak[0] >= stable) {
                                    // A task that failed since, though another answers now: not ready.
                                    view.requireNoFailedTask(domain());
                                    return Poll.done(
                                            "ok: " + answer.detail() + (stable > 1 ? ", stable " + stable : ""),
                                            streak[0]);
                                }
                                return Poll.pending("ok: " + answer.detail() + " (" + streak[0] + "/" + stable + ")");
                            }
                            streak[0] = 0;
                            long now = System.nanoTime();
                            if (now - servicesChecked[0] < SERVICES_CHECK.toNanos()) {
                                return Poll.pending(answer.detail());
                            }
                            servicesChecked[0] = now;
                            if (view.services(domain()).isEmpty()) {
                                throw new HostFaultException("the services of " + domain() + " disappeared while"
                                        + " waiting for it to be " + probe.describe() + " (last: " + answer.detail()
                                        + "): something outside this run removed them — not the recipe's doing");
                            }
                            // A task that crashed after convergence (swarm restarts it; it will not answer).
                            view.requireNoFailedTask(domain());
                            return Poll.pending(answer.detail());
                        },
                        log::info);
        if (view.forgaveAFailure(domain())) {
            watchAfterAForgivenFailure(log);
        }
    }

    /**
     * After a deploy in which a task failed once and swarm restarted it, the app must stay up for {@link #PROBATION}
     * after it answered: a task that fails again in that time is a crash loop that merely answered between crashes,
     * and fails the deploy with its reason, not the first tier with a refused connection.
     */
    private void watchAfterAForgivenFailure(RunLog log) {
        long start = System.nanoTime();
        NamedWait.of(domain() + " staying up after a task failure swarm restarted", PROBATION.plusSeconds(30))
                .every(Duration.ofMillis(500))
                .until(
                        () -> {
                            view.requireNoFailedTask(domain());
                            Duration up = Duration.ofNanos(System.nanoTime() - start);
                            return up.compareTo(PROBATION) >= 0
                                    ? Poll.done("no task failed again in " + PROBATION.toSeconds() + " s", true)
                                    : Poll.pending("up " + up.toSeconds() + " s");
                        },
                        log::info);
    }

    /**
     * One answer of the probe. rest-assured rethrows the client's {@link IOException}s unchecked, so a recipe's own
     * probe that uses {@link #http()} can throw one while the app is between tasks.
     */
    private ReadyProbe.Answer answer(ReadyProbe probe) throws InterruptedException {
        try {
            return probe.probe(this);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof IOException) {
                return ReadyProbe.Answer.notYet("no answer (" + e.getClass().getSimpleName() + ")");
            }
            throw new DeployFailedException("the ready probe failed: " + e, e);
        }
    }

    /** Where the main router's traffic goes, for logs; says why when it cannot be reached. */
    String entrance() {
        try {
            return view.frontDoor(domain()).main().toString();
        } catch (IllegalStateException e) {
            return "(no entrance: " + e.getMessage() + ")";
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
        return view.frontDoor(domain()).main().baseUrl();
    }

    @Override
    public URI baseUrl(String router) {
        return view.frontDoor(domain()).entrance(router).baseUrl();
    }

    @Override
    public RequestSpecification http() {
        return spec(view.frontDoor(domain()).main());
    }

    @Override
    public RequestSpecification http(String router) {
        return spec(view.frontDoor(domain()).entrance(router));
    }

    private RequestSpecification spec(FrontDoor.Entrance entrance) {
        int millis = Math.toIntExact(profile.httpTimeout().toMillis());
        return new RequestSpecBuilder()
                .setBaseUri(entrance.baseUrl().toString())
                .addHeader("Host", entrance.host())
                .setConfig(RestAssuredConfig.config()
                        .httpClient(HttpClientConfig.httpClientConfig()
                                .setParam("http.connection.timeout", millis)
                                .setParam("http.socket.timeout", millis)))
                .build();
    }

    @Override
    public List<ServiceState> services() {
        return view.services(domain());
    }

    @Override
    public Optional<String> deployedVersion() {
        return view.versionLabel(domain());
    }

    @Override
    public String taskTable() {
        return view.taskTable(domain());
    }

    @Override
    public RecipeProfile profile() {
        return profile;
    }

    @Override
    public ExecResult exec(String service, String... argv) {
        CommandResult result = view.exec(domain(), service, List.of(argv), Optional.empty());
        return new ExecResult(result.exitCode(), result.stdout(), result.stderr());
    }

    @Override
    public Map<String, String> env() {
        return instance.env().asMap();
    }

    @Override
    public String logs(String service) {
        return view.logs(domain(), service, 200);
    }

    @Override
    public List<String> volumes() {
        return view.volumes(domain());
    }

    @Override
    public String toString() {
        return "DeployedApp[" + domain() + " at " + entrance() + ", " + codeUnderTest() + "]";
    }
}

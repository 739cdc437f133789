package org.coopcloud.recipeci.internal.report.gitea;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.coopcloud.recipeci.internal.testsupport.Git;
import org.coopcloud.recipeci.launcher.RecipeCi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PR reporting through the real entrypoint: {@link RecipeCi} in a child JVM runs the recipe {@code pr-report}
 * (install + {@link PrReportTier}) with the recording deploy driver, and reports to a Gitea stand-in on 127.0.0.1.
 * Nothing touches the swarm; the catalogue (git), the locks and the HTTP are real.
 */
class PullRequestReportingRunIT {
    private static final String TOKEN = "9b8a7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3";
    private static final String BUILD = "https://drone.example.org/coop-cloud/recipe-ci/77";
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path home;

    private HttpServer app;
    private FakeGitea gitea;
    /** The catalogue's commit: what the runs check out and test. */
    private String tested;

    private final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void catalogueAppAndGitea() throws Exception {
        Path repo = Files.createDirectories(home.resolve("recipes").resolve("pr-report"));
        Files.writeString(repo.resolve("compose.yml"), "version: \"3.8\"\nservices: {app: {image: x}}\n");
        Files.writeString(repo.resolve(".env.sample"), "TYPE=pr-report\nDOMAIN=x.example.org\n");
        Git.run(repo, "init", "-q", "-b", "main");
        Git.run(repo, "add", ".");
        Git.run(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "release");
        Git.run(repo, "tag", "1.0.0+1.0");
        tested = Git.run(repo, "rev-parse", "HEAD").strip();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.start();
        gitea = new FakeGitea(TOKEN, "pr-report", 12).head(tested);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (ChildJvm child : children) {
            child.close();
        }
        gitea.close();
        app.stop(0);
    }

    private ChildJvm start(String runId, Map<String, String> env, String... properties) throws IOException {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                ChildJvm.classpath(),
                "-Drecipe=pr-report",
                "-Dstages=install,custom",
                "-Drecipeci.driver=fake",
                "-Drecipeci.it.fixtures=true",
                "-Drecipeci.it.fake-app-port=" + app.getAddress().getPort(),
                "-Drecipeci.home=" + home,
                "-Drecipeci.runs-dir=" + home.resolve("runs"),
                "-Drecipeci.lock-dir=" + Files.createDirectories(home.resolve("locks")),
                "-Drecipeci.run-id=" + runId,
                "-Drecipeci.pr=12",
                "-Drecipeci.gitea.url=" + gitea.url(),
                "-Drecipeci.build-url=" + BUILD));
        argv.addAll(List.of(properties));
        argv.add(RecipeCi.class.getName());
        ChildJvm child = ChildJvm.start(env, argv);
        children.add(child);
        return child;
    }

    private ChildJvm start(String runId, String... properties) throws IOException {
        return start(runId, Map.of(GiteaConfig.TOKEN_ENV, TOKEN), properties);
    }

    @Test
    void aGreenRunSetsPendingThenSuccess_andARerunOfItsIdUpdatesItsOneComment() throws Exception {
        ChildJvm first = start("pr-green");
        assertThat(first.awaitExit(RUN_LIMIT)).as(first.output()).isZero();

        assertThat(gitea.statuses())
                .extracting(FakeGitea.Status::state, FakeGitea.Status::targetUrl, FakeGitea.Status::sha)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pending", BUILD, tested),
                        org.assertj.core.groups.Tuple.tuple("success", BUILD, tested));
        assertThat(gitea.comments().values())
                .singleElement()
                .asString()
                .startsWith("<!-- recipe-ci context=recipe-ci run=pr-green -->")
                .contains("`pr-report` — **L1**")
                .contains("| L4 | functional | ✅ pass |")
                .contains("[Build log](" + BUILD + ")")
                .doesNotContain("Not the pull request's head");

        ChildJvm again = start("pr-green");
        assertThat(again.awaitExit(RUN_LIMIT)).as(again.output()).isZero();

        assertThat(gitea.comments()).hasSize(1);
        assertThat(gitea.requests())
                .extracting(FakeGitea.Request::method)
                .containsOnlyOnce("PATCH")
                .filteredOn("POST"::equals)
                .hasSize(5); // 4 statuses, 1 comment
        assertThat(gitea.statuses())
                .extracting(FakeGitea.Status::state)
                .containsExactly("pending", "success", "pending", "success");
        assertThat(gitea.violations()).isEmpty();
        assertTheTokenIsNowhere(first, again);
    }

    @Test
    void aRedRunSetsFailureNamingTheFailedRung_onTheTestedCommit_whereverThePullRequestsHeadIs() throws Exception {
        gitea.head(FakeGitea.HEAD_SHA);
        ChildJvm run = start("pr-red", "-Drecipeci.it.pr-report=fail");

        assertThat(run.awaitExit(RUN_LIMIT)).as(run.output()).isEqualTo(1);
        assertThat(gitea.statuses())
                .extracting(FakeGitea.Status::state, FakeGitea.Status::sha)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pending", tested),
                        org.assertj.core.groups.Tuple.tuple("failure", tested));
        assertThat(gitea.comments().values())
                .singleElement()
                .asString()
                .contains("**Not the pull request's head:** this run tested commit " + tested.substring(0, 12));
        assertThat(gitea.statuses().get(1).description()).startsWith("failed: L4 functional: ");
        assertThat(gitea.comments().values()).singleElement().asString().contains("failed on purpose");
    }

    @Test
    void aSigtermStillGetsTheFinalStatusSent_afterTeardown() throws Exception {
        ChildJvm run = start("pr-term", "-Drecipeci.it.pr-report=hold");
        run.awaitLine("PR-REPORT-HOLDING", RUN_LIMIT);
        assertThat(gitea.statuses()).extracting(FakeGitea.Status::state).containsExactly("pending");

        run.signal("TERM");

        assertThat(run.awaitExit(RUN_LIMIT)).as(run.output()).isEqualTo(143);
        assertThat(gitea.statuses()).extracting(FakeGitea.Status::state).containsExactly("pending", "failure");
        assertThat(gitea.statuses().get(1).description()).startsWith("stopped: SIGTERM received");
        assertThat(gitea.comments().values()).singleElement().asString().contains("**Stopped:** SIGTERM");
        assertThat(home.resolve("runs/pr-term/exit-code")).hasContent("143");
    }

    @Test
    void aGiteaAnswering500LeavesTheRunsOwnExitCode() throws Exception {
        gitea.mode(FakeGitea.Mode.FAILING);

        ChildJvm run = start("pr-500", "-Drecipeci.it.pr-report=fail");

        assertThat(run.awaitExit(RUN_LIMIT)).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("HTTP 500: database is locked").contains("RED (exit 1)");
        assertThat(home.resolve("runs/pr-500/exit-code")).hasContent("1");
    }

    @Test
    void aGiteaThatNeverAnswersCostsOneTimeoutPerReport_andTheRunStaysGreen() throws Exception {
        gitea.mode(FakeGitea.Mode.HANGING);
        long start = System.nanoTime();

        ChildJvm run = start("pr-hang", "-Drecipeci.gitea.timeout=1s");

        assertThat(run.awaitExit(RUN_LIMIT)).as(run.output()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(gitea.requests()).as("one unanswered request per report").hasSize(2);
        assertThat(run.output().lines().filter(l -> l.contains("got no answer within 1000 ms")))
                .hasSize(2);
    }

    @Test
    void reportingConfiguredWithoutATokenStopsTheRunBeforeAnythingIsDeployed() throws Exception {
        ChildJvm run = start("pr-config", Map.of());

        assertThat(run.awaitExit(RUN_LIMIT)).as(run.output()).isEqualTo(2);
        assertThat(run.output())
                .contains("configuration error: recipeci.gitea.url is set but there is no token")
                .doesNotContain("deploying");
        assertThat(gitea.requests()).isEmpty();
        // The run directory holds how the run ended, and nothing of a deploy.
        assertThat(home.resolve("runs/pr-config/exit-code")).hasContent("2");
        assertThat(home.resolve("runs/pr-config/snapshots")).doesNotExist();
        assertThat(home.resolve("servers")).doesNotExist();
    }

    @Test
    void aConfigurationErrorFoundOnceReportingIsSetUpIsAnErrorStatus_notSilence() throws Exception {
        ChildJvm run = start("pr-badref", "-Drecipeci.ref=no-such-branch");

        assertThat(run.awaitExit(RUN_LIMIT)).as(run.output()).isEqualTo(2);
        assertThat(gitea.statuses()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo("error");
            assertThat(s.sha())
                    .as("the pull request's head: the run named no commit")
                    .isEqualTo(tested);
            assertThat(s.targetUrl()).isEqualTo(BUILD);
            assertThat(s.description())
                    .startsWith("configuration error: recipe 'pr-report' has no git ref 'no-such-branch'")
                    .hasSizeLessThanOrEqualTo(Verdict.MAX_DESCRIPTION);
        });
        assertThat(gitea.comments()).isEmpty();
        assertThat(run.output()).contains("reported error to Gitea coop-cloud/pr-report#12");
    }

    /** Not in a request's URL or body, not in the output, not in any file the runs left. */
    private void assertTheTokenIsNowhere(ChildJvm... runs) throws IOException {
        assertThat(gitea.requests())
                .allSatisfy(r -> assertThat(r.exceptAuthorization()).doesNotContain(TOKEN));
        for (ChildJvm run : runs) {
            assertThat(run.output()).doesNotContain(TOKEN).doesNotContain("[secret redacted]");
        }
        try (Stream<Path> files = Files.walk(home.resolve("runs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(TOKEN);
            }
        }
        assertThat(home.resolve("runs/pr-green/results.json")).content().contains("\"no_secret_leak\" : true");
    }
}

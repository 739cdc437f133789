package org.coopcloud.recipeci.internal.report.gitea;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.coopcloud.recipeci.internal.report.RunResults;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reporter against a Gitea stand-in on 127.0.0.1 ({@link FakeGitea}): which requests it sends and in which
 * order, that a run keeps one comment, and that a failing or silent server costs a log line and a bounded wait —
 * never an exception.
 */
class PullRequestReporterIT {
    private static final String TOKEN = "5e3c1a0b9d8f7e6d5c4b3a291807f6e5d4c3b2a1";
    private static final long PR = 12;
    private static final URI BUILD = URI.create("https://drone.example.org/coop-cloud/recipe-ci/41");

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private FakeGitea gitea;

    @AfterEach
    void stopTheServer() {
        if (gitea != null) {
            gitea.close();
        }
    }

    private PullRequestReporter reporter(Optional<String> sha, String token, Duration timeout) {
        GiteaConfig config = new GiteaConfig(
                gitea.url(),
                FakeGitea.OWNER,
                "hello",
                PR,
                GiteaToken.parse(token, "the test"),
                sha,
                Optional.of(BUILD),
                "recipe-ci",
                timeout);
        return PullRequestReporter.to(config, new RunSecrets(), log::add);
    }

    private PullRequestReporter reporter() {
        return reporter(Optional.empty(), TOKEN, Duration.ofSeconds(5));
    }

    private static RunResults green() {
        return PullRequestCommentTest.results(0, 1, null, PullRequestCommentTest.pass(1, "install"));
    }

    @Test
    void pendingOnTheTestedCommit_thenTheFinalStatus_thenOneComment() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR);
        PullRequestReporter reporter = reporter();

        reporter.started(GiteaConfigTest.run("12"), Optional.of(FakeGitea.HEAD_SHA));
        reporter.finished(green(), Optional.empty());

        assertThat(gitea.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly(
                        "POST /api/v1/repos/coop-cloud/hello/statuses/" + FakeGitea.HEAD_SHA,
                        "POST /api/v1/repos/coop-cloud/hello/statuses/" + FakeGitea.HEAD_SHA,
                        "GET /api/v1/repos/coop-cloud/hello/pulls/12",
                        "GET /api/v1/repos/coop-cloud/hello/issues/12/comments",
                        "POST /api/v1/repos/coop-cloud/hello/issues/12/comments");
        assertThat(gitea.statuses())
                .extracting(FakeGitea.Status::state, FakeGitea.Status::targetUrl, FakeGitea.Status::context)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pending", BUILD.toString(), "recipe-ci"),
                        org.assertj.core.groups.Tuple.tuple("success", BUILD.toString(), "recipe-ci"));
        assertThat(gitea.statuses().get(0).description()).isEqualTo("testing hello (install, custom), run 41");
        assertThat(gitea.statuses().get(1).description()).isEqualTo("passed: level L1");
        assertThat(gitea.comments().values()).singleElement().satisfies(body -> assertThat(body)
                .startsWith("<!-- recipe-ci context=recipe-ci run=41 -->")
                .contains("**L1**")
                .contains("[Build log](" + BUILD + ")"));
        assertThat(gitea.requests()).allSatisfy(r -> {
            assertThat(r.authorization()).isEqualTo("token " + TOKEN);
            assertThat(r.exceptAuthorization()).doesNotContain(TOKEN);
        });
        assertThat(gitea.violations()).isEmpty();
        assertThat(log)
                .noneMatch(l -> l.startsWith("!!"))
                .anyMatch(l -> l.contains("reported success to Gitea coop-cloud/hello#12 (posted the run's comment)"));
    }

    @Test
    void aPushDuringTheRun_leavesTheStatusOnTheTestedCommit_andTheCommentSaysTheHeadMoved() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR);
        String pushed = "fedcba9876543210fedcba9876543210fedcba98";
        PullRequestReporter reporter = reporter();

        reporter.started(GiteaConfigTest.run("12"), Optional.of(FakeGitea.HEAD_SHA));
        gitea.head(pushed);
        reporter.finished(green(), Optional.empty());

        assertThat(gitea.statuses())
                .extracting(FakeGitea.Status::sha, FakeGitea.Status::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(FakeGitea.HEAD_SHA, "pending"),
                        org.assertj.core.groups.Tuple.tuple(FakeGitea.HEAD_SHA, "success"));
        String note = "this run tested commit 0123456789ab, but the pull request's head is now fedcba987654";
        assertThat(gitea.comments().values())
                .singleElement()
                .asString()
                .contains("**Not the pull request's head:** " + note);
        assertThat(log).anyMatch(l -> l.startsWith("!! Gitea coop-cloud/hello#12: " + note));
    }

    @Test
    void withoutATestedCommit_thePullRequestsHeadGetsTheStatus_readOnce() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR);
        PullRequestReporter reporter = reporter();

        reporter.started(GiteaConfigTest.run("12"), Optional.empty());
        gitea.head("fedcba9876543210fedcba9876543210fedcba98");
        reporter.finished(green(), Optional.empty());

        assertThat(gitea.requests())
                .extracting(r -> r.method() + " " + r.path().replace("/api/v1/repos/coop-cloud/hello", ""))
                .containsExactly(
                        "GET /pulls/12",
                        "POST /statuses/" + FakeGitea.HEAD_SHA,
                        "POST /statuses/" + FakeGitea.HEAD_SHA,
                        "GET /issues/12/comments",
                        "POST /issues/12/comments");
    }

    @Test
    void aSecondReportOfTheSameRunEditsItsCommentInsteadOfAddingOne() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR);
        long other = gitea.addComment("!testme");
        reporter()
                .finished(
                        PullRequestCommentTest.results(
                                1, 0, "L1 install fail: x", PullRequestCommentTest.fail(1, "install", "x")),
                        Optional.empty());
        long ours = gitea.comments().keySet().stream()
                .filter(id -> id != other)
                .findFirst()
                .orElseThrow();

        reporter().finished(green(), Optional.empty());

        assertThat(gitea.comments()).containsOnlyKeys(other, ours).containsEntry(other, "!testme");
        assertThat(gitea.comments().get(ours)).contains("**L1**").contains("✅");
        assertThat(gitea.requests())
                .filteredOn(r -> !r.method().equals("GET"))
                .extracting(r -> r.method() + " " + r.path().replaceAll(".*/repos/coop-cloud/hello", ""))
                .containsExactly(
                        "POST /statuses/" + FakeGitea.HEAD_SHA,
                        "POST /issues/12/comments",
                        "POST /statuses/" + FakeGitea.HEAD_SHA,
                        "PATCH /issues/comments/" + ours);
        assertThat(gitea.statuses()).extracting(FakeGitea.Status::state).containsExactly("failure", "success");
        assertThat(log).anyMatch(l -> l.contains("updated the run's comment"));
    }

    @Test
    void aServerThatPagesTheCommentsIsReadToTheEnd_soARerunStillFindsItsComment() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR).pageSize(50);
        for (int i = 0; i < 60; i++) {
            gitea.addComment("review remark " + i);
        }
        reporter().finished(green(), Optional.empty());
        long ours = gitea.comments().entrySet().stream()
                .filter(e -> e.getValue().startsWith("<!-- recipe-ci"))
                .findFirst()
                .orElseThrow()
                .getKey();

        reporter().finished(green(), Optional.empty());

        assertThat(gitea.comments()).hasSize(61);
        assertThat(gitea.requests())
                .filteredOn(r ->
                        r.path().endsWith("/issues/12/comments") && r.method().equals("GET"))
                .extracting(FakeGitea.Request::query)
                .containsExactly("null", "limit=50&page=2", "null", "limit=50&page=2");
        assertThat(gitea.requests())
                .filteredOn(r -> r.method().equals("PATCH"))
                .singleElement()
                .satisfies(r -> assertThat(r.path()).endsWith("/issues/comments/" + ours));
    }

    @Test
    void giteasListOfEveryCommentIsOneRequest_andAServerThatIgnoresThePageIsNotAskedForever() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR);
        gitea.addComment("!testme");
        Runnable report = () -> reporter().finished(green(), Optional.empty());

        report.run();
        gitea.claimTotal(1000);
        report.run();

        assertThat(gitea.requests())
                .filteredOn(r ->
                        r.path().endsWith("/issues/12/comments") && r.method().equals("GET"))
                .extracting(FakeGitea.Request::query)
                .as("the whole list at once; then a claimed 1000 and a second page that brings nothing new")
                .containsExactly("null", "null", "limit=2&page=2");
        assertThat(gitea.comments()).hasSize(2);
    }

    @Test
    void aConfiguredCommitGetsTheStatus_overTheTestedOne_andThePullRequestIsNotAskedForItsHead() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR);
        String sha = "a".repeat(40);

        reporter(Optional.of(sha), TOKEN, Duration.ofSeconds(5))
                .started(GiteaConfigTest.run("12"), Optional.of(FakeGitea.HEAD_SHA));

        assertThat(gitea.requests())
                .extracting(FakeGitea.Request::path)
                .containsExactly("/api/v1/repos/coop-cloud/hello/statuses/" + sha);
    }

    @Test
    void aServerAnswering500CostsOneLogLinePerReport_andThrowsNothing() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR).mode(FakeGitea.Mode.FAILING);
        PullRequestReporter reporter = reporter(Optional.of("b".repeat(40)), TOKEN, Duration.ofSeconds(5));
        long start = System.nanoTime();

        reporter.started(GiteaConfigTest.run("12"), Optional.empty());
        reporter.finished(green(), Optional.empty());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(log).filteredOn(l -> l.startsWith("!!")).hasSize(3).allSatisfy(l -> assertThat(l)
                .contains("HTTP 500: database is locked")
                .doesNotContain(TOKEN));
        assertThat(log).filteredOn(l -> l.contains("no final commit status")).hasSize(1);
    }

    @Test
    void aServerThatNeverAnswersIsLeftAfterOneTimeoutPerReport() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR).mode(FakeGitea.Mode.HANGING);
        PullRequestReporter reporter = reporter(Optional.empty(), TOKEN, Duration.ofMillis(500));
        long start = System.nanoTime();

        reporter.started(GiteaConfigTest.run("12"), Optional.empty());
        reporter.finished(green(), Optional.empty());

        // Two reports, each one unanswered request of 500 ms; far below their bound of 4 timeouts each.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(gitea.requests()).hasSize(2);
        assertThat(log).hasSize(2).allSatisfy(l -> assertThat(l)
                .contains("got no answer within 500 ms")
                .contains("the rest of this report is skipped"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aServerThatTricklesItsAnswerIsLeftAtTheReportsBound() throws Exception {
        // Headers at once, then a byte every 100 ms: the per-request timeout does not cover the body.
        gitea = new FakeGitea(TOKEN, "hello", PR).mode(FakeGitea.Mode.TRICKLING);
        Duration timeout = Duration.ofMillis(500);
        Duration bound = timeout.multipliedBy(PullRequestReporter.REQUESTS_PER_REPORT);
        PullRequestReporter reporter = reporter(Optional.empty(), TOKEN, timeout);
        long start = System.nanoTime();

        reporter.started(GiteaConfigTest.run("12"), Optional.empty());
        Duration started = Duration.ofNanos(System.nanoTime() - start);
        reporter.finished(green(), Optional.empty());
        Duration both = Duration.ofNanos(System.nanoTime() - start);

        assertThat(started).isBetween(bound, bound.plusSeconds(2));
        assertThat(both).isBetween(bound.multipliedBy(2), bound.multipliedBy(2).plusSeconds(3));
        assertThat(log)
                .containsExactly(
                        "!! Gitea coop-cloud/hello#12: pending report gave up after 2 s; the run's result is unchanged",
                        "!! Gitea coop-cloud/hello#12: final report gave up after 2 s; the run's result is unchanged");
    }

    @Test
    void aRedirectIsNotFollowed_soTheTokenNeverReachesTheOtherServer() throws Exception {
        try (FakeGitea elsewhere = new FakeGitea(TOKEN, "hello", PR)) {
            gitea = new FakeGitea(TOKEN, "hello", PR).redirectTo(elsewhere.url());

            reporter().started(GiteaConfigTest.run("12"), Optional.empty());
            reporter().finished(green(), Optional.empty());

            assertThat(gitea.requests()).isNotEmpty();
            assertThat(elsewhere.requests()).isEmpty();
            assertThat(log).filteredOn(l -> l.startsWith("!!")).isNotEmpty().allSatisfy(l -> assertThat(l)
                    .contains("HTTP 307")
                    .contains("redirects to " + elsewhere.url())
                    .contains("set recipeci.gitea.url to the server's own address"));
        }
    }

    @Test
    void anInterruptedCallerStillGetsItsReportSent_andKeepsItsInterrupt() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR);
        PullRequestReporter reporter = reporter();

        Thread.currentThread().interrupt();
        reporter.finished(green(), Optional.of("SIGTERM received (CI cancel or parent death)"));

        assertThat(Thread.interrupted()).as("interrupt handed back").isTrue();
        assertThat(gitea.statuses()).singleElement().satisfies(s -> assertThat(s.description())
                .startsWith("stopped: SIGTERM received"));
        assertThat(gitea.comments().values()).singleElement().asString().contains("**Stopped:** SIGTERM");
    }

    @Test
    void aTokenGiteaRefusesIsOneLineWithAHint_thatDoesNotShowTheToken() throws Exception {
        gitea = new FakeGitea(TOKEN, "hello", PR);
        String wrong = "ffffffffffffffffffffffffffffffffffffffff";

        reporter(Optional.empty(), wrong, Duration.ofSeconds(5)).started(GiteaConfigTest.run("12"), Optional.empty());

        assertThat(log)
                .singleElement()
                .asString()
                .contains("HTTP 401 (the token is not accepted")
                .doesNotContain(wrong);
        assertThat(gitea.statuses()).isEmpty();
    }
}

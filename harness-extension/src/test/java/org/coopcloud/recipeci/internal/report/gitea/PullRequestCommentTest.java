package org.coopcloud.recipeci.internal.report.gitea;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.internal.report.Ladder;
import org.coopcloud.recipeci.internal.report.Ladder.Rung;
import org.coopcloud.recipeci.internal.report.Ladder.Status;
import org.coopcloud.recipeci.internal.report.RunResults;
import org.coopcloud.recipeci.internal.report.TierResults;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.Test;

/** The comment a run posts and the status it sets: what they say for each kind of run, and what they never show. */
class PullRequestCommentTest {
    private static final Optional<URI> BUILD = Optional.of(URI.create("https://drone.example.org/coop-cloud/ci/41"));

    /** A run's results with the ladder as given: its level, its cap reason (null for none) and its rungs. */
    static RunResults results(int exitCode, int level, String cap, Rung... rungs) {
        return new RunResults(
                GiteaConfigTest.run("12"),
                new Ladder.Result(level, Optional.ofNullable(cap), List.of(rungs)),
                new TierResults(),
                Optional.of("hell-abc123.ci.commoninternet.net"),
                Optional.empty(),
                Optional.of("1.1.0+2.1"),
                Optional.of("feature @ 0123abcd"),
                true,
                List.of(),
                List.of(),
                exitCode,
                Optional.empty());
    }

    static Rung pass(int level, String name) {
        return new Rung(level, name, Status.PASS, "");
    }

    static Rung fail(int level, String name, String reason) {
        return new Rung(level, name, Status.FAIL, reason);
    }

    static Rung unverified(int level, String name, String reason) {
        return new Rung(level, name, Status.UNVERIFIED, reason);
    }

    @Test
    void theBodyStartsWithTheRunsMarker_thenLevelRungsCapAndBuildLink() {
        RunResults red =
                results(1, 1, "L2 upgrade fail: marker lost", pass(1, "install"), fail(2, "upgrade", "marker lost"));

        String body = PullRequestComment.body("recipe-ci", red, Optional.empty(), Optional.empty(), BUILD, s -> s);

        assertThat(body.lines().findFirst()).contains("<!-- recipe-ci context=recipe-ci run=41 -->");
        assertThat(body)
                .contains("**L1**")
                .contains("| L2 | upgrade | ❌ fail | marker lost |")
                .contains("Capped at L1: L2 upgrade fail: marker lost")
                .contains("[Build log](https://drone.example.org/coop-cloud/ci/41)")
                .contains("run `41`");
        assertThat(PullRequestComment.isOf(body, "recipe-ci", new RunId("41"))).isTrue();
        assertThat(PullRequestComment.isOf(body, "recipe-ci", new RunId("4"))).isFalse();
        assertThat(PullRequestComment.isOf(body, "other-ci", new RunId("41"))).isFalse();
        assertThat(PullRequestComment.isOf("a reply quoting " + body, "recipe-ci", new RunId("41")))
                .isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ci--->shown", "a---b", "x-", "-->", "ci/--"})
    void theMarkerStaysOneHiddenHtmlComment_whateverDashesTheContextHas(String context) {
        String marker = PullRequestComment.marker(context, new RunId("41"));

        assertThat(marker).startsWith("<!-- ").endsWith(" -->");
        assertThat(marker.substring(4, marker.length() - 3))
                .as("an HTML comment's text has no '--' and cannot end it early")
                .doesNotContain("--");
        assertThat(PullRequestComment.marker("other", new RunId("41"))).isNotEqualTo(marker);
    }

    @Test
    void aBodyCutToTheLimitSplitsNoCharacter() {
        String astral = "\uD83D\uDE80"; // one character, two chars in Java
        RunResults red = results(1, 0, null, fail(1, "install", astral.repeat(PullRequestComment.MAX_LENGTH)));

        for (int shift = 0; shift < 2; shift++) {
            String body = PullRequestComment.body(
                    "recipe-ci" + "x".repeat(shift), red, Optional.empty(), Optional.empty(), BUILD, s -> s);

            assertThat(body).contains("… (cut;");
            String cut = body.substring(0, body.indexOf("\n\n… (cut;"));
            assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1)))
                    .as("a lone high surrogate at the cut")
                    .isFalse();
        }
    }

    @Test
    void aStoppedRunSaysWhy_andAMissingBuildLinkSaysHowToGetOne() {
        String body = PullRequestComment.body(
                "recipe-ci",
                results(143, 0, "L1 install unverified: stopped", unverified(1, "install", "stopped")),
                Optional.of("SIGTERM received (CI cancel or parent death)"),
                Optional.empty(),
                Optional.empty(),
                s -> s);

        assertThat(body).contains("**Stopped:** SIGTERM received").contains("set recipeci.build-url");
    }

    @Test
    void secretsAreRedactedFromEverythingButTheMarker() {
        RunSecrets secrets = new RunSecrets();
        String secret = secrets.generate(24);
        RunResults red = results(1, 0, null, fail(1, "install", "login with " + secret + " refused"));

        String body =
                PullRequestComment.body("recipe-ci", red, Optional.empty(), Optional.empty(), BUILD, secrets::redact);

        assertThat(body).doesNotContain(secret).contains(RunSecrets.REDACTED);
    }

    @Test
    void greenIsSuccessWithTheLevel_andTheCapWhenThereIsOne() {
        Verdict full = Verdict.of(results(0, 2, null, pass(1, "install"), pass(2, "upgrade")), Optional.empty());
        Verdict capped = Verdict.of(
                results(
                        0,
                        1,
                        "L2 upgrade unverified: stage not selected",
                        pass(1, "install"),
                        unverified(2, "upgrade", "stage not selected")),
                Optional.empty());

        assertThat(full.state().apiValue()).isEqualTo("success");
        assertThat(full.description()).isEqualTo("passed: level L2");
        assertThat(capped.description())
                .isEqualTo("passed: level L1 (capped: L2 upgrade unverified: stage not selected)");
    }

    @Test
    void aFailedRungIsFailureNamingIt_evenAboveAnUnverifiedCap() {
        Verdict verdict = Verdict.of(
                results(
                        1,
                        1,
                        "L2 upgrade unverified: stage not selected",
                        pass(1, "install"),
                        unverified(2, "upgrade", "stage not selected"),
                        fail(4, "functional", "notes survive: expected 1 note")),
                Optional.empty());

        assertThat(verdict.state().apiValue()).isEqualTo("failure");
        assertThat(verdict.description()).isEqualTo("failed: L4 functional: notes survive: expected 1 note — level L1");
    }

    @Test
    void aStoppedRunIsFailureWithTheReason() {
        Verdict verdict = Verdict.of(
                results(143, 0, "L1 install unverified: stopped", unverified(1, "install", "stopped")),
                Optional.of("run exceeded its 60-minute hard deadline"));

        assertThat(verdict.state().apiValue()).isEqualTo("failure");
        assertThat(verdict.description()).isEqualTo("stopped: run exceeded its 60-minute hard deadline — level L0");
    }

    @Test
    void redWithoutAFailedRung_orAConfigurationError_isError() {
        Rung harness = unverified(1, "install", "harness error in x: boom");
        String cap = "L1 install unverified: harness error in x: boom";

        assertThat(Verdict.of(results(1, 0, cap, harness), Optional.empty()))
                .extracting(v -> v.state().apiValue(), Verdict::description)
                .containsExactly("error", "could not verify: " + cap + " — level L0");
        assertThat(Verdict.of(results(2, 0, cap, harness), Optional.empty()))
                .extracting(v -> v.state().apiValue(), Verdict::description)
                .containsExactly("error", "configuration error — level L0: " + cap);
    }

    @Test
    void descriptionsAreOneShortLine() {
        Rung long1 = fail(1, "install", "line one\nline two " + "x".repeat(300));

        Verdict verdict = Verdict.of(results(1, 0, null, long1), Optional.empty());

        assertThat(verdict.description())
                .hasSize(Verdict.MAX_DESCRIPTION)
                .doesNotContain("\n")
                .endsWith("…");
        assertThat(Verdict.pending(GiteaConfigTest.run("12")).description())
                .isEqualTo("testing hello (install, custom), run 41");
    }
}

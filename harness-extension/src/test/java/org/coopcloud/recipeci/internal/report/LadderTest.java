package org.coopcloud.recipeci.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.report.Ladder.Status;
import org.coopcloud.recipeci.internal.report.TierResults.Kind;
import org.coopcloud.recipeci.internal.report.TierResults.Outcome;
import org.junit.jupiter.api.Test;

class LadderTest {
    private final Map<Stage, List<Outcome>> outcomes = new EnumMap<>(Stage.class);

    private static Outcome passed() {
        return new Outcome("t", Kind.PASSED, "");
    }

    private Ladder.Result climb(List<String> lint) {
        return Ladder.climb(
                s -> outcomes.getOrDefault(s, List.of()),
                EnumSet.allOf(Stage.class),
                Optional.of(lint),
                Optional.empty());
    }

    /** Every stage selected, lint clean, and the run stopped early for {@code why}. */
    private Ladder.Result climbStopped(String why) {
        return Ladder.climb(
                s -> outcomes.getOrDefault(s, List.of()),
                EnumSet.allOf(Stage.class),
                Optional.of(List.of()),
                Optional.of(why));
    }

    private void allPass() {
        for (Stage s : Stage.values()) {
            outcomes.put(s, List.of(passed()));
        }
    }

    @Test
    void everythingPassingIsL5WithoutACap() {
        allPass();

        Ladder.Result result = climb(List.of());

        assertThat(result.level()).isEqualTo(5);
        assertThat(result.capReason()).isEmpty();
        assertThat(result.rungs()).extracting(Ladder.Rung::status).containsOnly(Status.PASS);
    }

    @Test
    void aFailedUpgradeWithUnverifiedDependentsIsL1_cappedByTheUpgrade() {
        allPass();
        outcomes.put(Stage.UPGRADE, List.of(new Outcome("converged", Kind.FAILED, "upgrade failed: task exit 127")));
        outcomes.put(Stage.BACKUP, List.of(new Outcome("b", Kind.SKIPPED, "unverified: upgrade failed")));
        outcomes.put(Stage.RESTORE, List.of(new Outcome("r", Kind.SKIPPED, "unverified: upgrade failed")));
        outcomes.put(Stage.CUSTOM, List.of(new Outcome("c", Kind.SKIPPED, "unverified: upgrade failed")));

        Ladder.Result result = climb(List.of());

        assertThat(result.level()).isEqualTo(1);
        assertThat(result.capReason())
                .hasValueSatisfying(
                        c -> assertThat(c).startsWith("L2 upgrade fail").contains("exit 127"));
        assertThat(result.rungs().get(2).status()).isEqualTo(Status.UNVERIFIED);
        assertThat(result.rungs().get(3).status()).isEqualTo(Status.UNVERIFIED);
    }

    @Test
    void aRunRefusedBeforeItsTiersGivesEveryRungItsReason_lintToo() {
        Ladder.Result result = Ladder.notRun(
                EnumSet.of(Stage.INSTALL, Stage.CUSTOM), "configuration error: the compose files do not parse");

        assertThat(result.level()).isZero();
        assertThat(result.rungs())
                .extracting(Ladder.Rung::reason)
                .containsExactly(
                        "configuration error: the compose files do not parse",
                        "stage not selected",
                        "stage not selected",
                        "configuration error: the compose files do not parse",
                        "configuration error: the compose files do not parse");
    }

    @Test
    void aFailedOperationIsTheRungsReason_notTheFirstTestsClaim() {
        allPass();
        String cause = "upgrade failed: the update was rolled back by swarm";
        outcomes.put(
                Stage.UPGRADE,
                List.of(
                        new Outcome("the app's volumes were kept", Kind.FAILED, cause),
                        new Outcome("the version label is the code under test's", Kind.FAILED, cause)));
        outcomes.put(
                Stage.CUSTOM,
                List.of(
                        new Outcome("a note is listed", Kind.FAILED, "expected 1 but was 0"),
                        new Outcome("the logs say so", Kind.FAILED, "expected 1 but was 0")));

        Ladder.Result result = climb(List.of());

        assertThat(result.rungs().get(1).reason()).isEqualTo(cause);
        assertThat(result.capReason()).contains("L2 upgrade fail: " + cause);
        assertThat(result.rungs().get(3).reason()).isEqualTo("a note is listed: expected 1 but was 0");
    }

    @Test
    void aRunStoppedBeforeItsTiersSaysUnverifiedOnce() {
        Ladder.Result result =
                Ladder.notRun(EnumSet.allOf(Stage.class), "unverified: the run was stopped (SIGTERM received)");

        assertThat(result.capReason()).contains("L1 install unverified: the run was stopped (SIGTERM received)");
    }

    @Test
    void anUnverifiedRungSaysSoOnce() {
        allPass();
        outcomes.put(
                Stage.UPGRADE,
                List.of(new Outcome("u", Kind.SKIPPED, "unverified: recipe 'hello' has no release before it")));

        Ladder.Result result = climb(List.of());

        assertThat(result.rungs().get(1).reason()).isEqualTo("recipe 'hello' has no release before it");
        assertThat(result.capReason()).contains("L2 upgrade unverified: recipe 'hello' has no release before it");
    }

    @Test
    void anIntentionallySkippedRungDoesNotCapTheLevel() {
        allPass();
        outcomes.put(Stage.BACKUP, List.of(new Outcome("b", Kind.SKIPPED, "not applicable: no backupbot labels")));
        outcomes.put(Stage.RESTORE, List.of(new Outcome("r", Kind.SKIPPED, "not applicable: no backupbot labels")));

        Ladder.Result result = climb(List.of());

        assertThat(result.rungs().get(2).status()).isEqualTo(Status.SKIP);
        assertThat(result.level()).isEqualTo(5);
    }

    @Test
    void backupDeclaredNotApplicable_skipsL3WithTheProfilesReason_notPassed() {
        allPass();
        outcomes.put(Stage.BACKUP, List.of(new Outcome("b", Kind.SKIPPED, "not applicable: the app keeps no state")));
        outcomes.put(
                Stage.RESTORE,
                List.of(new Outcome(
                        "r",
                        Kind.SKIPPED,
                        "not applicable: restore needs a backup, and backup is not applicable: the app keeps no"
                                + " state")));

        Ladder.Rung l3 = climb(List.of()).rungs().get(2);

        assertThat(l3.status()).isEqualTo(Status.SKIP);
        assertThat(l3.reason()).isEqualTo("not applicable: the app keeps no state");
    }

    @Test
    void aHarnessErrorIsUnverifiedNotFail() {
        allPass();
        outcomes.put(Stage.CUSTOM, List.of(new Outcome("c", Kind.ERRORED, "NullPointerException")));

        Ladder.Result result = climb(List.of());

        assertThat(result.rungs().get(3).status()).isEqualTo(Status.UNVERIFIED);
        assertThat(result.rungs().get(3).reason()).contains("harness error");
        assertThat(result.level()).isEqualTo(3);
    }

    @Test
    void aTestInterruptedByTheStopIsUnverifiedBecauseTheRunWasStoppedNotAHarnessError() {
        allPass();
        outcomes.put(Stage.CUSTOM, List.of(new Outcome("holds", Kind.INTERRUPTED, "sleep interrupted")));

        Ladder.Result stopped = climbStopped("SIGTERM received (CI cancel or parent death)");
        Ladder.Result notStopped = climb(List.of());

        assertThat(stopped.rungs().get(3).status()).isEqualTo(Status.UNVERIFIED);
        assertThat(stopped.rungs().get(3).reason())
                .isEqualTo("the run was stopped (SIGTERM received (CI cancel or parent death))"
                        + " during holds: sleep interrupted");
        assertThat(notStopped.rungs().get(3).reason()).isEqualTo("harness error in holds: sleep interrupted");
    }

    @Test
    void aStageNotSelectedIsUnverifiedAndCapsTheLevel() {
        outcomes.put(Stage.INSTALL, List.of(passed()));

        Ladder.Result result = Ladder.climb(
                s -> outcomes.getOrDefault(s, List.of()),
                EnumSet.of(Stage.INSTALL),
                Optional.of(List.of()),
                Optional.empty());

        assertThat(result.level()).isEqualTo(1);
        assertThat(result.capReason()).hasValueSatisfying(c -> assertThat(c).contains("stage not selected"));
    }

    @Test
    void lintFindingsFailTheTopRung() {
        allPass();

        Ladder.Result result = climb(List.of("there is no abra.sh"));

        assertThat(result.level()).isEqualTo(4);
        assertThat(result.rungs().get(4))
                .extracting(Ladder.Rung::status, Ladder.Rung::reason)
                .containsExactly(Status.FAIL, "there is no abra.sh");
    }

    @Test
    void anAuthorsAssumptionBesidePassingTestsDoesNotMakeTheRungUnverified() {
        allPass();
        outcomes.put(
                Stage.INSTALL, List.of(passed(), new Outcome("a", Kind.SKIPPED, "Assumption failed: only from 1.1")));

        Ladder.Result result = climb(List.of());

        assertThat(result.rungs().get(0).status()).isEqualTo(Status.PASS);
        assertThat(result.level()).isEqualTo(5);
    }

    @Test
    void aStoppedRunNamesWhyInTheRungsItCutShort() {
        outcomes.put(Stage.INSTALL, List.of(passed()));
        outcomes.put(Stage.UPGRADE, List.of(new Outcome("u", Kind.SKIPPED, "Execution cancelled")));

        Ladder.Result result = climbStopped("run exceeded its 60-minute hard deadline");

        assertThat(result.rungs().get(1).status()).isEqualTo(Status.UNVERIFIED);
        assertThat(result.rungs().get(1).reason()).contains("stopped").contains("deadline");
        assertThat(result.rungs().get(3).reason()).contains("deadline");
    }

    @Test
    void lintThatNeverRanIsUnverifiedNotPass() {
        allPass();

        Ladder.Result result = Ladder.climb(
                s -> outcomes.getOrDefault(s, List.of()),
                EnumSet.allOf(Stage.class),
                Optional.empty(),
                Optional.empty());

        assertThat(result.rungs().get(4).status()).isEqualTo(Status.UNVERIFIED);
        assertThat(result.level()).isEqualTo(4);
    }

    @Test
    void reasonsAreRedacted() {
        allPass();
        outcomes.put(Stage.CUSTOM, List.of(new Outcome("c", Kind.FAILED, "token s3cr3t-value leaked")));

        Ladder.Result result = climb(List.of()).redacted(t -> t.replace("s3cr3t-value", "[secret redacted]"));

        assertThat(result.rungs().get(3).reason())
                .doesNotContain("s3cr3t-value")
                .contains("[secret redacted]");
        assertThat(result.capReason()).hasValueSatisfying(c -> assertThat(c).doesNotContain("s3cr3t-value"));
    }

    @Test
    void aFailedInstallIsL0() {
        allPass();
        outcomes.put(Stage.INSTALL, List.of(new Outcome("i", Kind.FAILED, "task rejected")));

        assertThat(climb(List.of()).level()).isZero();
    }

    @Test
    void backupPassingButRestoreFailingFailsTheCombinedRung() {
        allPass();
        outcomes.put(Stage.RESTORE, List.of(new Outcome("marker back", Kind.FAILED, "marker differs")));

        Ladder.Rung rung = climb(List.of()).rungs().get(2);

        assertThat(rung.status()).isEqualTo(Status.FAIL);
        assertThat(rung.reason()).startsWith("restore:");
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SwarmConvergenceTest {
    private static DockerCli.Task task(String id, String name, String state, String error) {
        return new DockerCli.Task(id, name, "Shutdown", state + " 3 seconds ago", "\"" + error + "\"");
    }

    @Test
    void aSingleCrashIsRetriedBySwarmNotFinal() {
        // The pgnotes upgrade: the new app task lost PostgreSQL (restarted by the same update) and exited 2 once.
        List<DockerCli.Task> failed = List.of(task("t1", "s_app.1", "Failed", "task: non-zero exit (2)"));

        assertThat(SwarmConvergence.finalFailure(failed, Set.of())).isEmpty();
    }

    @Test
    void aSecondFailureInTheSameSlotIsACrashLoop() {
        List<DockerCli.Task> failed = List.of(
                task("t2", "s_app.1", "Failed", "task: non-zero exit (127)"),
                task("t1", "\\_ s_app.1", "Failed", "task: non-zero exit (127)"));

        assertThat(SwarmConvergence.finalFailure(failed, Set.of()))
                .hasValueSatisfying(t -> assertThat(t.error()).contains("non-zero exit (127)"));
    }

    @Test
    void failuresInDifferentSlotsAreEachRetried() {
        List<DockerCli.Task> failed = List.of(
                task("t1", "s_app.1", "Failed", "task: non-zero exit (2)"),
                task("t2", "s_app.2", "Failed", "task: non-zero exit (2)"),
                task("t3", "s_db.1", "Failed", "task: non-zero exit (1)"));

        assertThat(SwarmConvergence.finalFailure(failed, Set.of())).isEmpty();
    }

    @Test
    void aRejectedTaskIsFinalAtOnce() {
        // Swarm could not start it at all (no such image here): it would only be rejected again.
        List<DockerCli.Task> failed = List.of(task("t1", "s_app.1", "Rejected", "No such image: example/app:1"));

        assertThat(SwarmConvergence.finalFailure(failed, Set.of()))
                .hasValueSatisfying(t -> assertThat(t.id()).isEqualTo("t1"));
    }

    @Test
    void aFailureSwarmWillNotRestartIsFinalAtOnce() {
        List<DockerCli.Task> failed = List.of(task("t1", "s_app.1", "Failed", "task: non-zero exit (1)"));

        assertThat(SwarmConvergence.finalFailure(failed, Set.of("s_app"))).isPresent();
        assertThat(SwarmConvergence.finalFailure(failed, Set.of())).isEmpty();
        assertThat(SwarmConvergence.finalFailure(failed, Set.of("s_db")))
                .as("another service's policy")
                .isEmpty();
    }

    @Test
    void failedTasksAreReplacedUnlessTheRestartPolicySaysNone() {
        assertThat(DockerCli.replacesFailedTasks(DockerCli.parse("{}")))
                .as("swarm's default: any")
                .isTrue();
        assertThat(DockerCli.replacesFailedTasks(DockerCli.parse("{\"RestartPolicy\":{\"Condition\":\"none\"}}")))
                .isFalse();
        assertThat(DockerCli.replacesFailedTasks(
                        DockerCli.parse("{\"RestartPolicy\":{\"Condition\":\"on-failure\",\"MaxAttempts\":3}}")))
                .isTrue();
        assertThat(DockerCli.replacesFailedTasks(
                        DockerCli.parse("{\"RestartPolicy\":{\"Condition\":\"any\",\"MaxAttempts\":0}}")))
                .isTrue();
    }

    @Test
    void aReplacedTaskWhoseContainerStillRuns_isStillStopping() {
        // A start-first update: the new task runs, the old one is told to shut down and has not yet.
        List<DockerCli.Task> tasks = List.of(
                new DockerCli.Task("new", "s_app.1", "Running", "Running 2 seconds ago", ""),
                new DockerCli.Task("old", "\\_ s_app.1", "Shutdown", "Running 30 seconds ago", ""),
                new DockerCli.Task("older", "\\_ s_app.1", "Shutdown", "Shutdown 5 minutes ago", ""));

        assertThat(SwarmConvergence.stillStopping(tasks)).isEqualTo(1);
        assertThat(SwarmConvergence.stillStopping(tasks.subList(0, 1))).isZero();
    }

    @Test
    void aPausedUpdate_strandsTheSlotsItNeverReached_notTheOnesItRestarted() {
        Swarm.DeployMark mark = new Swarm.DeployMark(Set.of("old1", "old2"), Instant.now());
        List<DockerCli.Task> tasks = List.of(
                // slot 1: updated, failed once, restarted on the new version
                new DockerCli.Task("new1b", "s_app.1", "Running", "Running 1 second ago", ""),
                new DockerCli.Task("new1a", " \\_ s_app.1", "Shutdown", "Failed 3 seconds ago", "exit 2"),
                new DockerCli.Task("old1", " \\_ s_app.1", "Shutdown", "Shutdown 4 seconds ago", ""),
                // slot 2: the paused update never reached it
                new DockerCli.Task("old2", "s_app.2", "Running", "Running 2 minutes ago", ""),
                new DockerCli.Task("db1", "s_db.1", "Running", "Running 2 minutes ago", ""));

        assertThat(SwarmConvergence.strandedSlots("s_app", mark, tasks)).containsExactly("s_app.2");
        assertThat(SwarmConvergence.strandedSlots("s_app", mark, tasks.subList(0, 3)))
                .as("one replica, restarted on the new version: nothing stranded")
                .isEmpty();
    }
}

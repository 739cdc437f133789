package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.junit.jupiter.api.Test;

class DockerCliTest {

    @Test
    void parsesRunningAndDesiredReplicas() {
        assertThat(DockerCli.parseReplicas("1/1")).containsExactly(1, 1);
        assertThat(DockerCli.parseReplicas("2/3")).containsExactly(2, 3);
        assertThat(DockerCli.parseReplicas("10/12")).containsExactly(10, 12);
    }

    @Test
    void ignoresTheParentheticalSuffix() {
        assertThat(DockerCli.parseReplicas("0/1 (max 1 per node)")).containsExactly(0, 1);
        assertThat(DockerCli.parseReplicas("1/1 (1/1 completed)")).containsExactly(1, 1);
    }

    @Test
    void serviceStillBeingCreatedIsZeroOfZero() {
        assertThat(DockerCli.parseReplicas("")).containsExactly(0, 0);
    }

    @Test
    void garbageIsZeroOfZero() {
        assertThat(DockerCli.parseReplicas("n/a")).containsExactly(0, 0);
        assertThat(DockerCli.parseReplicas("3")).containsExactly(0, 0);
    }

    @Test
    void failedTasksAreRejectedOrFailed() {
        assertThat(new DockerCli.Task("t1", "app_web.1", "Running", "Rejected 3 seconds ago", "no such image").failed())
                .isTrue();
        assertThat(new DockerCli.Task("t1", "app_web.1", "Shutdown", "Failed 1 second ago", "exit 1").failed())
                .isTrue();
        assertThat(new DockerCli.Task("t1", "app_web.1", "Running", "Running 5 seconds ago", "").failed())
                .isFalse();
    }

    @Test
    void parseReadsJsonAndRejectsNonJson() {
        assertThat(DockerCli.parse("{\"Replicas\":\"1/1\"}").path("Replicas").asText())
                .isEqualTo("1/1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DockerCli.parse("{not json"))
                .isInstanceOf(org.coopcloud.recipeci.RecipeCiException.class)
                .hasMessageContaining("not JSON");
    }

    private static CommandResult failed(String stderr, boolean timedOut) {
        return new CommandResult(Command.of("docker", "inspect"), 1, "", stderr, timedOut, Duration.ofMillis(20));
    }

    @Test
    void aFailureOnlyOnObjectsThatAreGone_isToldApartFromEveryOtherFailure() {
        // docker 28's words (lower case) and older ones'
        assertThat(DockerCli.failedOnlyOnGoneObjects(failed("Error: no such service: x_app\n", false)))
                .isTrue();
        assertThat(DockerCli.failedOnlyOnGoneObjects(failed("Error: No such volume: x_data\n", false)))
                .isTrue();
        assertThat(DockerCli.failedOnlyOnGoneObjects(failed("get x_data: no such volume: x_data\n", false)))
                .isTrue();

        assertThat(DockerCli.failedOnlyOnGoneObjects(failed(
                        "Error: no such service: x_app\nCannot connect to the Docker daemon at unix:///var/run/docker.sock\n",
                        false)))
                .as("another line beside it")
                .isFalse();
        assertThat(DockerCli.failedOnlyOnGoneObjects(
                        failed("dial unix /var/run/docker.sock: connect: no such file or directory\n", false)))
                .as("no such socket is no such object")
                .isFalse();
        assertThat(DockerCli.failedOnlyOnGoneObjects(failed("Error: no such service: x_app\n", true)))
                .as("timed out")
                .isFalse();
        assertThat(DockerCli.failedOnlyOnGoneObjects(failed("", false)))
                .as("said nothing")
                .isFalse();
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

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
}

package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceStateTest {

    private static ServiceState state(int running, int desired, String update) {
        return new ServiceState("app_web", running, desired, Optional.ofNullable(update));
    }

    @Test
    void allReplicasRunningWithoutUpdateIsConverged() {
        assertThat(state(1, 1, null).converged()).isTrue();
        assertThat(state(3, 3, null).converged()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"completed", "paused", "rollback_paused", "rollback_completed"})
    void settledUpdateStatesCountAsConverged(String update) {
        assertThat(state(1, 1, update).converged()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"updating", "rollback_started"})
    void inFlightUpdatesAreNotConverged(String update) {
        assertThat(state(1, 1, update).converged()).isFalse();
    }

    @Test
    void zeroDesiredIsNotConverged() {
        assertThat(state(0, 0, null).converged()).isFalse();
    }

    @Test
    void missingReplicasAreNotConverged() {
        assertThat(state(1, 2, null).converged()).isFalse();
        assertThat(state(0, 1, "completed").converged()).isFalse();
    }

    @Test
    void toStringShowsReplicasAndUpdateState() {
        assertThat(state(1, 2, "updating")).hasToString("app_web 1/2 (update updating)");
        assertThat(state(1, 1, null)).hasToString("app_web 1/1");
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.junit.jupiter.api.Test;

class EdgeContainerTest {
    private static CommandResult failed(String stderr) {
        return new CommandResult(Command.of("docker", "run"), 125, "", stderr, false, Duration.ofMillis(700));
    }

    @Test
    void anOverlayTornDownUnderTheStartingEdgeIsTriedAgain() {
        // Captured from a full build: another run's last container had just left proxy.
        assertThat(EdgeContainer.overlayGone(failed("docker: Error response from daemon: network"
                        + " abll95qoomxlfudczn11zquyy not found\n\nRun 'docker run --help' for more information\n")))
                .isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(EdgeContainer.overlayGone(failed("docker: Error response from daemon: Conflict. The container"
                        + " name \"/recipe-ci-edge-x\" is already in use\n")))
                .isFalse();
        assertThat(EdgeContainer.overlayGone(failed("Unable to find image 'recipe-ci.local/edge:1' locally\n")))
                .isFalse();
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The harness starts the edge image that {@code scripts/local-swarm} builds, by the same tag. */
class EdgeImageTest {
    private static final Path SCRIPTS = Path.of("..", "scripts");

    @Test
    void localSwarmBuildsTheTagTheHarnessRuns() throws Exception {
        String script = Files.readString(SCRIPTS.resolve("local-swarm"));
        String tag = EdgeContainer.IMAGE.substring(EdgeContainer.IMAGE.indexOf('/') + 1);

        assertThat(script).contains("IMAGE_PREFIX=recipe-ci.local").contains("EDGE_IMAGE=$IMAGE_PREFIX/" + tag + "\n");
        assertThat(script).contains("ensure_edge_image").contains("ensure_proxy_network");
    }

    @Test
    void theEdgeEntrypointIsTheDeadmanThatEdgeDirReliesOn() throws Exception {
        String edge = Files.readString(SCRIPTS.resolve("edge").resolve("edge.sh"));

        assertThat(edge)
                .contains("flock -s /run/edge/" + EdgeDir.LOCK)
                .contains("UNIX-LISTEN:/run/edge/$n.sock")
                .contains("TCP4:$target");
    }
}

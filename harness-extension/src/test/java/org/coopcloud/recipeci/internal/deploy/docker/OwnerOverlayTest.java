package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.coopcloud.recipeci.internal.lock.Owner;
import org.coopcloud.recipeci.internal.lock.RunnerId;
import org.junit.jupiter.api.Test;

class OwnerOverlayTest {
    private static final Owner OWNER = Owner.of(new RunnerId("host1", Path.of("/run/lock")), new RunId("run-7"));

    private static final StackConfig CONFIG = StackConfig.parse(
            """
            version: "3.8"
            services:
              app:
                image: nginx:1.27
            volumes:
              data:
                labels:
                  backupbot.keep: "true"
            networks:
              proxy:
                external: true
              internal:
                driver: overlay
                internal: true
            configs:
              entrypoint:
                name: app_entrypoint_v4
                file: /checkout/entrypoint.sh
            secrets:
              db_password:
                name: app_db_password_v1
                external: true
            """,
            "test");

    @Test
    void labelsEveryServiceAndEveryObjectTheStackCreates() {
        String overlay = OwnerOverlay.text(CONFIG, OWNER);

        assertThat(overlay).startsWith("# written by recipe-ci").contains("version: \"3.8\"");
        assertThat(overlay).contains("\"app\":\n    deploy:\n      labels:\n        \"" + Owner.RUNNER_LABEL + "\"");
        assertThat(overlay).contains("volumes:\n  \"data\": {\"labels\":{\"backupbot.keep\":\"true\",\"");
        assertThat(overlay).contains("\"" + Owner.RUN_LABEL + "\":\"run-7\"");
    }

    @Test
    void leavesExternalObjectsAlone() {
        String overlay = OwnerOverlay.text(CONFIG, OWNER);

        assertThat(overlay).doesNotContain("proxy").doesNotContain("db_password");
    }

    @Test
    void restatesEachObjectWhole_forDockerReplacesATopLevelObjectRatherThanMergingIt() {
        // Without it `docker stack deploy` loses the config's versioned name and its file (bonfire's entrypoint:
        // "read …/recipes/bonfire: is a directory"), and a network its driver and `internal`.
        String overlay = OwnerOverlay.text(CONFIG, OWNER);

        assertThat(overlay)
                .contains(
                        "configs:\n  \"entrypoint\": {\"name\":\"app_entrypoint_v4\",\"file\":\"/checkout/entrypoint.sh\",\"labels\":{")
                .contains("  \"internal\": {\"driver\":\"overlay\",\"internal\":true,\"labels\":{");
    }
}

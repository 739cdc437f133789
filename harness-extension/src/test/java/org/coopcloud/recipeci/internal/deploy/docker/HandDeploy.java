package org.coopcloud.recipeci.internal.deploy.docker;

import java.nio.file.Path;
import java.time.Duration;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.process.Command;

/**
 * {@code docker stack deploy} of a test's own {@code compose.yml}, by hand: for the ITs that need a stack the
 * harness's deploy would not make as it is (no Traefik router, a service meant to be rejected).
 */
final class HandDeploy {
    private HandDeploy() {}

    /** The deploy of {@code dir}/compose.yml as {@code stack}; images are never pulled. */
    static Command of(Path dir, StackName stack) {
        return Command.of("docker", "stack", "deploy", "--resolve-image", "never", "-c", "compose.yml", stack.value())
                .withWorkDir(dir)
                .withTimeout(Duration.ofMinutes(2));
    }
}

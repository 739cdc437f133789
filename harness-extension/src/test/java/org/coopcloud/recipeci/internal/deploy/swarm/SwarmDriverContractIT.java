package org.coopcloud.recipeci.internal.deploy.swarm;

import java.nio.file.Path;
import java.util.Map;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverContract;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.log.RunLog;

/** The driver contract for the {@code swarm} driver, on the real local swarm (needs `scripts/local-swarm up`). */
class SwarmDriverContractIT extends DeployDriverContract {
    @Override
    protected DeployDriver driver(Path runDir) {
        return new SwarmDriver(runner, RunLog.consoleOnly(), tmp.resolve("home/servers/local"));
    }

    /** A docker client pointed at a socket where no engine listens. */
    @Override
    protected RecipeConfigurationException brokenEnvironment(Path scratch) {
        SwarmDriver noEngine = new SwarmDriver(
                runner,
                RunLog.consoleOnly(),
                scratch.resolve("servers"),
                Map.of("DOCKER_HOST", "unix://" + scratch.resolve("no-docker.sock")),
                FrontDoorSettings.defaults());
        return refusal(noEngine::checkEnvironment);
    }

    @Override
    protected String brokenEnvironmentHint() {
        return "needs a Docker engine";
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandResult;

/**
 * The attachable overlay network {@code proxy} that real recipes declare external and put their web service on (on a
 * Co-op Cloud server, Traefik's network). It is shared infrastructure: made when missing, never removed by a run.
 */
final class ProxyNetwork {
    static final String NAME = TraefikRouters.PROXY_NETWORK;

    private ProxyNetwork() {}

    /**
     * Makes sure {@code proxy} exists as an attachable overlay; another run creating it at the same moment is fine.
     *
     * @throws RecipeConfigurationException when a {@code proxy} of another kind is in the way, or it cannot be made
     */
    static void ensure(DockerCli docker, RunLog log) {
        CommandResult inspected = inspect(docker);
        if (inspected.ok()) {
            require(inspected.stdout().strip());
            return;
        }
        CommandResult created = docker.docker("network", "create", "--driver", "overlay", "--attachable", NAME);
        if (created.ok()) {
            log.info("network " + NAME + " created (an attachable overlay, shared by every app; runs never remove it)");
            return;
        }
        CommandResult again = inspect(docker);
        if (created.stderr().contains("already exists") && again.ok()) {
            require(again.stdout().strip()); // another run made it meanwhile
            return;
        }
        throw new RecipeConfigurationException("the network " + NAME + " is missing and cannot be created ("
                + created.firstLine() + "): create it with `docker network create -d overlay --attachable " + NAME
                + "` on a swarm manager, or run `scripts/local-swarm up`");
    }

    private static CommandResult inspect(DockerCli docker) {
        return docker.docker("network", "inspect", "--format", "{{.Driver}} {{.Attachable}}", NAME);
    }

    private static void require(String driverAndAttachable) {
        if (!driverAndAttachable.equals("overlay true")) {
            throw new RecipeConfigurationException("the network " + NAME + " exists but is not an attachable overlay"
                    + " (driver and attachable: " + driverAndAttachable + "): recipes and recipe-ci's edge attach to"
                    + " it as a swarm network — remove it (`docker network rm " + NAME + "`) when nothing uses it"
                    + " and run `docker network create -d overlay --attachable " + NAME + "`");
        }
    }
}

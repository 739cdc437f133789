package org.coopcloud.recipeci.internal.deploy.swarm;

import java.util.Optional;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverFactory;
import org.coopcloud.recipeci.internal.deploy.DriverContext;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.deploy.docker.HostMounts;
import org.coopcloud.recipeci.internal.lock.Owner;

/**
 * Makes the {@code swarm} driver, the default: app env files live in {@code <home>/servers/local}, test traffic takes
 * the front door {@code recipeci.front-door} names.
 */
public final class SwarmDriverFactory implements DeployDriverFactory {
    @Override
    public String name() {
        return "swarm";
    }

    @Override
    public DeployDriver create(DriverContext context) {
        return new SwarmDriver(
                context.runner(),
                context.log(),
                context.config().paths().home().resolve("servers").resolve("local"),
                FrontDoorSettings.of(context.config()),
                Optional.of(Owner.of(context.config())),
                HostMounts.of(context.config()));
    }
}

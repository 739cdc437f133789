package org.coopcloud.recipeci.internal.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.swarm.SwarmDriver;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.report.RunLog;

/**
 * Makes the deploy driver a run asks for ({@code recipeci.driver}). {@code swarm} is built in; more drivers register
 * as {@link ServiceLoader} services of this interface.
 */
public interface DeployDriverFactory {
    String name();

    DeployDriver create(RunConfig config, CommandRunner runner, RunLog log);

    /**
     * The driver named by the configuration.
     *
     * @throws RecipeConfigurationException naming the known drivers when there is no such driver
     */
    static DeployDriver forRun(RunConfig config, CommandRunner runner, RunLog log) {
        List<String> known = new ArrayList<>(List.of("swarm"));
        if (config.driver().equals("swarm")) {
            return new SwarmDriver(runner, log, config.home().resolve("servers").resolve("local"));
        }
        for (DeployDriverFactory factory : ServiceLoader.load(DeployDriverFactory.class)) {
            if (factory.name().equals(config.driver())) {
                return factory.create(config, runner, log);
            }
            known.add(factory.name());
        }
        throw new RecipeConfigurationException(
                "recipeci.driver '" + config.driver() + "' is unknown: use one of " + String.join(", ", known));
    }
}

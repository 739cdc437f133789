package org.coopcloud.recipeci.internal.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.coopcloud.recipeci.RecipeConfigurationException;

/** The deploy drivers on the class path, by name. */
public final class DeployDrivers {
    private DeployDrivers() {}

    /**
     * The driver the run asks for, made for this run.
     *
     * @throws RecipeConfigurationException naming the known drivers when there is no such driver
     */
    public static DeployDriver create(DriverContext context) {
        String wanted = context.config().driver().name();
        List<String> known = new ArrayList<>();
        for (DeployDriverFactory factory : ServiceLoader.load(DeployDriverFactory.class)) {
            if (factory.name().equals(wanted)) {
                return factory.create(context);
            }
            known.add(factory.name());
        }
        throw new RecipeConfigurationException("recipeci.driver '" + wanted + "' is unknown: use one of "
                + String.join(", ", known.stream().sorted().toList()));
    }
}

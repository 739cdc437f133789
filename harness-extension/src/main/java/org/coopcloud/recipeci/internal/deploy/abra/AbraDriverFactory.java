package org.coopcloud.recipeci.internal.deploy.abra;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.config.DriverSettings;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverFactory;
import org.coopcloud.recipeci.internal.deploy.DriverContext;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.deploy.docker.HostMounts;
import org.coopcloud.recipeci.internal.lock.Owner;

/**
 * Makes the {@code abra} driver ({@code -Ddriver=abra}): the run's abra directory is {@code <run dir>/abra}, linked
 * to the canonical one ({@code recipeci.abra-home}, default {@code ~/.abra}) on the server
 * {@code recipeci.abra-server} (default: the only one configured there). Registered as a {@link java.util.ServiceLoader}
 * service in {@code META-INF/services}.
 */
public final class AbraDriverFactory implements DeployDriverFactory {
    @Override
    public String name() {
        return "abra";
    }

    @Override
    public DeployDriver create(DriverContext context) {
        RunConfig config = context.config();
        DriverSettings settings = config.driver();
        Path canonical = settings.option(ConfigKey.ABRA_HOME)
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".abra"));
        Optional<String> server = settings.option(ConfigKey.ABRA_SERVER);
        server.ifPresent(name -> {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}")) {
                throw new RecipeConfigurationException("recipeci.abra-server '" + name + "' is not a server name:"
                        + " use the name of a directory under <abra home>/servers (e.g. 'default')");
            }
        });
        AbraDir dir = new AbraDir(config.runDir().resolve("abra"), canonical, server);
        return new AbraDriver(
                dir,
                context.runner(),
                context.log(),
                context.secrets(),
                Map.of(),
                FrontDoorSettings.of(config),
                Optional.of(Owner.of(config)),
                HostMounts.of(config));
    }
}

package org.coopcloud.recipeci.internal.deploy.abra;

import java.nio.file.Path;
import java.util.Map;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverFactory;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.report.RunLog;

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
    public DeployDriver create(RunConfig config, CommandRunner runner, RunLog log) {
        Path canonical = config.abraHome().orElse(Path.of(System.getProperty("user.home"), ".abra"));
        AbraDir dir = new AbraDir(config.runDir().resolve("abra"), canonical, config.abraServer());
        return new AbraDriver(dir, runner, log, Map.of());
    }
}

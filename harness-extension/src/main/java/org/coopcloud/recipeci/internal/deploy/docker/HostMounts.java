package org.coopcloud.recipeci.internal.deploy.docker;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.config.RunConfig;

/**
 * The host paths a recipe may bind-mount ({@code recipeci.host-mounts}): none by default. A bind mount of a host path
 * hands the app — code a pull request controls — that part of the host; the docker socket is the whole host. An
 * operator who tests infrastructure recipes (traefik, backup-bot-two) on a host meant for it allows their paths.
 */
public final class HostMounts {
    private HostMounts() {}

    /** @throws RecipeConfigurationException for an entry that is not an absolute path */
    public static List<Path> of(RunConfig config) {
        return config.driver()
                .option(ConfigKey.HOST_MOUNTS)
                .map(HostMounts::parse)
                .orElse(List.of());
    }

    static List<Path> parse(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> {
                    if (!s.startsWith("/") || s.contains("..")) {
                        throw new RecipeConfigurationException(ConfigKey.HOST_MOUNTS + " '" + csv + "' names '" + s
                                + "', which is not an absolute host path: give the paths recipes may bind-mount,"
                                + " e.g. /var/run/docker.sock");
                    }
                    return Path.of(s).normalize();
                })
                .toList();
    }
}

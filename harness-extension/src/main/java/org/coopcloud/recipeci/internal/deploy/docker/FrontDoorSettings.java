package org.coopcloud.recipeci.internal.deploy.docker;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.config.RunConfig;

/**
 * How a run's test traffic reaches its apps ({@code recipeci.front-door}), and where its edges keep their sockets.
 *
 * @param mode {@link Mode#BRIDGE} (the default) or {@link Mode#TRAEFIK}
 * @param edgeBase where edge directories go: {@code <lock dir>/recipe-ci-edge}, next to the app locks (short, on
 *     tmpfs, and already a directory the run must be able to write)
 * @param owner names the run in the labels of its edges ({@code <run id>-<pid>})
 */
public record FrontDoorSettings(Mode mode, Path edgeBase, String owner) {
    public static final String EDGE_DIR = "recipe-ci-edge";

    /** The values of {@code recipeci.front-door}. */
    public enum Mode {
        /**
         * An edge container on {@code proxy} per app, reached through a unix socket from a 127.0.0.1 port of the
         * harness: for hosts where nothing routes the run's domains (this kind of machine).
         */
        BRIDGE,
        /**
         * No edge: {@code https://<domain>} through the host's own DNS and Traefik, as users reach the app (a
         * production host whose Traefik serves the run's domains).
         */
        TRAEFIK
    }

    /** The run's setting, read from the driver's options. */
    public static FrontDoorSettings of(RunConfig config) {
        return new FrontDoorSettings(
                mode(config.driver().option(ConfigKey.FRONT_DOOR)),
                config.paths().lockDir().resolve(EDGE_DIR),
                config.runId() + "-" + ProcessHandle.current().pid());
    }

    /** A bridge with its edges under {@code /run/lock} (drivers made without a run's configuration). */
    public static FrontDoorSettings defaults() {
        return new FrontDoorSettings(
                Mode.BRIDGE,
                Path.of("/run/lock").resolve(EDGE_DIR),
                "pid-" + ProcessHandle.current().pid());
    }

    /** Where the edge of {@code stack} keeps its sockets while it lives (for residual checks). */
    public Path edgeDir(StackName stack) {
        return EdgeDir.of(edgeBase, stack);
    }

    static Mode mode(Optional<String> value) {
        return value.map(v -> switch (v.strip().toLowerCase(Locale.ROOT)) {
                    case "bridge" -> Mode.BRIDGE;
                    case "traefik" -> Mode.TRAEFIK;
                    default ->
                        throw new RecipeConfigurationException(ConfigKey.FRONT_DOOR + " '" + v + "' is not a"
                                + " front door: use bridge (an edge container on the proxy network, the default) or"
                                + " traefik (https://<domain> through the host's Traefik)");
                })
                .orElse(Mode.BRIDGE);
    }
}

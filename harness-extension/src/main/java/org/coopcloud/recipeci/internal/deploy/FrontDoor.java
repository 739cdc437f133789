package org.coopcloud.recipeci.internal.deploy;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How this run's HTTP traffic reaches an app: one entrance per Traefik router of the app, each a base URL and the
 * {@code Host} header the router matches. The main router is the one whose {@code Host(…)} rule names the app's
 * domain; {@link org.coopcloud.recipeci.DeployedApp#http()} uses it.
 *
 * @param mainRouter the name of the main router (a key of {@code entrances} or {@code unreachable})
 * @param entrances by router name, in the order the compose file declares them
 * @param unreachable the routers the harness cannot send traffic to, with the reason (e.g. a router whose service
 *     Traefik serves itself, such as {@code api@internal})
 */
public record FrontDoor(String mainRouter, Map<String, Entrance> entrances, Map<String, String> unreachable) {

    /**
     * One router as the harness reaches it.
     *
     * @param baseUrl where requests go: a 127.0.0.1 port of the harness's bridge, or the router's domain through the
     *     host's Traefik
     * @param host the {@code Host} header every request carries (what the router's rule matches)
     * @param via how the traffic gets there, for logs and messages (e.g. "edge bridge to tasks.x_app:8080")
     */
    public record Entrance(String router, URI baseUrl, String host, String via) {
        public Entrance {
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(via, "via");
        }

        @Override
        public String toString() {
            return baseUrl + " (router " + router + ", Host " + host + ", " + via + ")";
        }
    }

    public FrontDoor {
        entrances = Collections.unmodifiableMap(new LinkedHashMap<>(entrances));
        unreachable = Collections.unmodifiableMap(new LinkedHashMap<>(unreachable));
        if (!entrances.containsKey(mainRouter) && !unreachable.containsKey(mainRouter)) {
            throw new IllegalArgumentException("the main router " + mainRouter + " is not among " + entrances.keySet());
        }
    }

    /** An app with one router. */
    public static FrontDoor single(Entrance entrance) {
        return new FrontDoor(entrance.router(), Map.of(entrance.router(), entrance), Map.of());
    }

    /**
     * The entrance of the main router.
     *
     * @throws IllegalStateException when the harness cannot reach it, with the reason
     */
    public Entrance main() {
        return entrance(mainRouter);
    }

    /**
     * The entrance of a router, by the name its labels give it ({@code traefik.http.routers.<name>.rule}).
     *
     * @throws IllegalArgumentException naming the app's routers when it has none of that name
     * @throws IllegalStateException when the harness cannot reach that router, with the reason
     */
    public Entrance entrance(String router) {
        Entrance entrance = entrances.get(router);
        if (entrance != null) {
            return entrance;
        }
        String why = unreachable.get(router);
        if (why != null) {
            throw new IllegalStateException("the Traefik router '" + router + "' cannot be reached from here: it " + why
                    + (router.equals(mainRouter) ? " (it is the app's main router)" : ""));
        }
        throw new IllegalArgumentException("the app has no Traefik router '" + router + "'; its routers are "
                + entrances.keySet() + (unreachable.isEmpty() ? "" : " and, unreachable, " + unreachable.keySet())
                + " (the main one, " + mainRouter + ", is what http() and baseUrl() use)");
    }
}

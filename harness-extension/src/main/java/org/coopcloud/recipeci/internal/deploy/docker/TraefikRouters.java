package org.coopcloud.recipeci.internal.deploy.docker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.StackConfig;

/**
 * An app's Traefik routers, read from its merged compose file the way Traefik's swarm provider reads them: only
 * {@code deploy.labels} (container labels are not what swarm shows), only services with {@code traefik.enable=true}
 * (Co-op Cloud's Traefik exposes nothing by default), a router's service from
 * {@code traefik.http.routers.<r>.service} or else the one service its compose service defines, and that service's
 * {@code loadbalancer.server.port}. The main router is the one whose {@code Host(…)} rule names the app's domain.
 */
final class TraefikRouters {
    static final String PROXY_NETWORK = "proxy";

    private static final String ROUTERS = "traefik.http.routers.";
    private static final String SERVICES = "traefik.http.services.";
    private static final String PORT = ".loadbalancer.server.port";
    private static final Pattern RULE = Pattern.compile(Pattern.quote(ROUTERS) + "([^.]+)\\.rule");
    private static final Pattern SERVICE_LABEL = Pattern.compile(Pattern.quote(SERVICES) + "([^.]+)\\..+");
    /** {@code Host(`a`)} and {@code Host(`a`, `b`)}, not {@code HostRegexp} or {@code HostSNI}. */
    private static final Pattern HOST = Pattern.compile("(?<![A-Za-z])Host\\(([^)]*)\\)");

    private static final Pattern QUOTED = Pattern.compile("`([^`]*)`|\"([^\"]*)\"");

    private static final String EXPECTED = "the app's web service needs, under deploy.labels,"
            + " traefik.enable=true, traefik.http.routers.<name>.rule=Host(`${DOMAIN}`) and"
            + " traefik.http.services.<name>.loadbalancer.server.port=<port>, and the external network "
            + PROXY_NETWORK + " (see docs/recipe-authoring.md, \"What the recipe must look like\")";

    private TraefikRouters() {}

    /**
     * One router.
     *
     * @param service the compose service whose task serves it (where its Traefik service is defined)
     * @param hosts the hosts its rule names, in order
     * @param pathScoped whether its rule also asks for a path ({@code PathPrefix}, {@code Path})
     * @param redirects whether its middlewares only redirect
     * @param port the port its traffic goes to on {@code service}; empty when it cannot be reached (see
     *     {@code unreachable})
     * @param unreachable why the harness cannot send traffic to it, when it cannot
     */
    record Router(
            String name,
            String service,
            List<String> hosts,
            boolean pathScoped,
            boolean redirects,
            Optional<Integer> port,
            Optional<String> unreachable) {
        Router {
            hosts = List.copyOf(hosts);
        }

        /** What an edge connects to for it: the task's own address on {@code proxy} (service VIPs may not route). */
        String target(StackName stack) {
            return "tasks." + stack + "_" + service + ":" + port.orElseThrow();
        }

        boolean serves(AppDomain domain) {
            return hosts.stream().anyMatch(h -> h.equalsIgnoreCase(domain.value()));
        }

        /** This router, its traffic going to {@code port} of {@code owner}'s tasks. */
        Router reached(String owner, int port) {
            return new Router(name, owner, hosts, pathScoped, redirects, Optional.of(port), Optional.empty());
        }

        /** This router, which the harness cannot reach, and why. */
        Router unreachable(String why) {
            return new Router(name, service, hosts, pathScoped, redirects, Optional.empty(), Optional.of(why));
        }
    }

    /** The routers of one app: its main router first, then the others in file order. */
    record AppRouters(Router main, List<Router> all) {
        AppRouters {
            all = List.copyOf(all);
        }
    }

    /**
     * The app's routers, with the main one for {@code domain}.
     *
     * @param origin what the compose files are, for messages ("recipe 'hello' at main")
     * @throws RecipeConfigurationException when no router serves the domain, when the main router's port is missing
     *     or its service is not on {@code proxy}, or when a router's port label is not a number
     */
    static AppRouters forDomain(StackConfig config, AppDomain domain, String origin) {
        List<Router> routers = read(config);
        Router main = routers.stream()
                .filter(r -> r.serves(domain))
                .min(Comparator.comparing(Router::redirects)
                        .thenComparing(Router::pathScoped)
                        .thenComparing(r -> !r.service().equals("app")))
                .orElseThrow(() -> noRouter(config, routers, domain, origin));
        main.unreachable()
                .filter(why -> !why.contains("served by Traefik itself"))
                .ifPresent(why -> {
                    throw new RecipeConfigurationException(origin + ": the Traefik router '" + main.name() + "' for "
                            + domain + " " + why + " — " + EXPECTED);
                });
        List<Router> ordered = new ArrayList<>(List.of(main));
        routers.stream().filter(r -> r != main).forEach(ordered::add);
        return new AppRouters(main, ordered);
    }

    private static RecipeConfigurationException noRouter(
            StackConfig config, List<Router> routers, AppDomain domain, String origin) {
        List<String> seen = new ArrayList<>();
        routers.forEach(r -> seen.add(r.name() + " on " + r.service() + " ("
                + (r.hosts().isEmpty() ? "no Host rule" : "Host " + String.join(", ", r.hosts())) + ")"));
        for (String service : config.serviceNames()) {
            Map<String, String> labels = config.deployLabels(service);
            if (!enabled(labels)
                    && labels.keySet().stream().anyMatch(k -> RULE.matcher(k).matches())) {
                seen.add("routers on " + service + ", which lacks traefik.enable=true");
            }
        }
        return new RecipeConfigurationException(origin + " has no Traefik router for " + domain
                + (seen.isEmpty() ? "" : " (found: " + String.join("; ", seen) + ")") + ": " + EXPECTED);
    }

    /** Every router of every Traefik-enabled service, in file order. */
    static List<Router> read(StackConfig config) {
        List<Router> routers = new ArrayList<>();
        List<String> proxyKeys = config.networkKeysNamed(PROXY_NETWORK);
        for (String service : config.serviceNames()) {
            Map<String, String> labels = config.deployLabels(service);
            if (!enabled(labels)) {
                continue;
            }
            for (Map.Entry<String, String> label : labels.entrySet()) {
                Matcher rule = RULE.matcher(label.getKey());
                if (rule.matches()) {
                    routers.add(router(config, proxyKeys, service, rule.group(1), label.getValue()));
                }
            }
        }
        return routers;
    }

    private static Router router(StackConfig config, List<String> proxyKeys, String service, String name, String rule) {
        Map<String, String> labels = config.deployLabels(service);
        String middlewares = labels.getOrDefault(ROUTERS + name + ".middlewares", "");
        boolean redirects = !middlewares.isBlank()
                && List.of(middlewares.split(",")).stream()
                        .allMatch(m -> m.toLowerCase(Locale.ROOT).contains("redirect"));
        boolean pathScoped = rule.contains("Path(") || rule.contains("PathPrefix(");
        Router unresolved =
                new Router(name, service, hosts(rule), pathScoped, redirects, Optional.empty(), Optional.empty());
        Optional<String> explicit = Optional.ofNullable(labels.get(ROUTERS + name + ".service"))
                .map(String::strip)
                .filter(s -> !s.isEmpty());
        String traefikService;
        if (explicit.isPresent()) {
            String[] parts = explicit.get().split("@", 2);
            if (parts.length == 2 && !parts[1].equals("swarm") && !parts[1].equals("docker")) {
                return unresolved.unreachable("sends its traffic to " + explicit.get()
                        + ", which is served by Traefik itself, not by a service of the app");
            }
            traefikService = parts[0];
        } else {
            Set<String> defined = new LinkedHashSet<>();
            labels.keySet().forEach(k -> {
                Matcher m = SERVICE_LABEL.matcher(k);
                if (m.matches()) {
                    defined.add(m.group(1));
                }
            });
            if (defined.size() != 1) {
                return unresolved.unreachable(
                        defined.isEmpty()
                                ? "has no port: its service " + service + " sets no " + SERVICES + "<name>" + PORT
                                : "could go to any of the services " + defined + " that " + service + " defines: set "
                                        + ROUTERS + name + ".service");
            }
            traefikService = defined.iterator().next();
        }
        String portLabel = SERVICES + traefikService + PORT;
        // Where the service is defined: on the router's own compose service first, else on another one.
        List<String> owners = new ArrayList<>(List.of(service));
        config.serviceNames().stream().filter(s -> !s.equals(service)).forEach(owners::add);
        for (String owner : owners) {
            Map<String, String> ownerLabels = config.deployLabels(owner);
            if (enabled(ownerLabels) && ownerLabels.containsKey(portLabel)) {
                int port = port(portLabel, ownerLabels.get(portLabel), owner);
                return onProxy(config, proxyKeys, owner)
                        ? unresolved.reached(owner, port)
                        : unresolved.unreachable(
                                "goes to " + owner + ", which is not on the external network " + PROXY_NETWORK);
            }
        }
        return unresolved.unreachable("has no port: no service of the app sets " + portLabel);
    }

    private static int port(String label, String value, String service) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wrong
        }
        throw new RecipeConfigurationException("the label " + label + " on service " + service + " is '" + value
                + "', not a port number: Traefik sends the router's traffic to that port of the service's task;"
                + " give the port the app listens on (e.g. 8080)");
    }

    /** The hosts of every {@code Host(…)} in a rule: {@code Host(`a`)}, {@code Host(`a`, `b`)}, {@code … || …}. */
    static List<String> hosts(String rule) {
        List<String> hosts = new ArrayList<>();
        Matcher host = HOST.matcher(rule);
        while (host.find()) {
            Matcher quoted = QUOTED.matcher(host.group(1));
            while (quoted.find()) {
                String h = (quoted.group(1) != null ? quoted.group(1) : quoted.group(2)).strip();
                if (!h.isEmpty()) {
                    hosts.add(h);
                }
            }
        }
        return hosts;
    }

    private static boolean enabled(Map<String, String> labels) {
        return "true".equalsIgnoreCase(labels.getOrDefault("traefik.enable", "").strip());
    }

    private static boolean onProxy(StackConfig config, List<String> proxyKeys, String service) {
        return config.networkKeys(service).stream().anyMatch(proxyKeys::contains);
    }
}

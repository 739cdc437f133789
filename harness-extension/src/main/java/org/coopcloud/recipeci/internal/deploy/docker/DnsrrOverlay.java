package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.internal.deploy.StackConfig;

/**
 * Where the kernel has no IPVS ({@code /proc/net/ip_vs} is absent), swarm's service VIPs do not route: a service name
 * resolves to its VIP and a connection to it fails. Names of services in DNS round-robin mode resolve to the tasks'
 * own addresses and work. On such a host the harness adds, by itself, a compose file that sets
 * {@code deploy.endpoint_mode: dnsrr} on every service — a scalar, so docker's merge replaces the recipe's value
 * rather than appending to it. Production swarms have IPVS and get no such file.
 */
final class DnsrrOverlay {
    static final String FILE = "compose.recipe-ci-dnsrr.yml";
    private static final Path IP_VS = Path.of("/proc/net/ip_vs");

    private DnsrrOverlay() {}

    /** Whether this host's kernel lacks IPVS, so that VIPs do not route. */
    static boolean needed() {
        return !Files.exists(IP_VS);
    }

    /**
     * The overlay for every service of {@code config}, in its compose version (docker refuses to merge files of
     * different versions). A service that publishes a port in ingress mode keeps its VIP (swarm refuses dnsrr with
     * ingress ports) and is named in {@code kept}.
     *
     * @return empty when no service can take the overlay
     */
    static Optional<String> text(StackConfig config, List<String> kept) {
        StringBuilder yaml = new StringBuilder("# written by recipe-ci: this host has no IPVS, so swarm VIPs do not"
                + " route; DNS round robin does\n");
        JsonNode version = config.version();
        if (!version.isMissingNode() && !version.isNull()) {
            yaml.append("version: \"").append(version.asText()).append("\"\n");
        }
        yaml.append("services:\n");
        List<String> changed = new ArrayList<>();
        for (String service : config.serviceNames()) {
            if (publishesIngress(config.service(service))) {
                kept.add(service);
                continue;
            }
            changed.add(service);
            yaml.append("  \"").append(service).append("\":\n    deploy:\n      endpoint_mode: dnsrr\n");
        }
        return changed.isEmpty() ? Optional.empty() : Optional.of(yaml.toString());
    }

    private static boolean publishesIngress(JsonNode service) {
        for (JsonNode port : service.path("ports")) {
            if (!port.isObject() || port.path("mode").asText("ingress").equals("ingress")) {
                return true;
            }
        }
        return false;
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.coopcloud.recipeci.internal.lock.Owner;

/**
 * The compose file the harness adds to every deploy of a run's app: the run's {@link Owner} as labels on each service
 * ({@code deploy.labels}) and on each volume, network, config and secret the stack creates (external ones are not
 * the stack's and are left as they are). Docker merges a service's label maps, so the recipe's own labels stay; a
 * top-level object it replaces whole, so the overlay restates it with the labels added. The file is written in the
 * recipe's compose version (docker refuses to merge files of different versions).
 */
final class OwnerOverlay {
    static final String FILE = "compose.recipe-ci-owner.yml";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OwnerOverlay() {}

    static String text(StackConfig config, Owner owner) {
        StringBuilder yaml = new StringBuilder("# written by recipe-ci: who owns this app (for the janitors)\n");
        JsonNode version = config.version();
        if (!version.isMissingNode() && !version.isNull()) {
            yaml.append("version: \"").append(version.asText()).append("\"\n");
        }
        yaml.append("services:\n");
        for (String service : config.serviceNames()) {
            yaml.append("  ").append(quoted(service)).append(":\n    deploy:\n      labels:\n");
            labels(yaml, owner.labels(), "        ");
        }
        for (String section : new String[] {"volumes", "networks", "configs", "secrets"}) {
            StringBuilder entries = new StringBuilder();
            config.topLevel(section).forEach((key, declared) -> {
                if (!declared.path("external").asBoolean(false)) {
                    // Docker merges a top-level object of a later file over the earlier one whole, not field by
                    // field: the entry restates the recipe's own declaration (as docker resolved it — name, file,
                    // driver and its options) with the owner's labels added to its own, as JSON (YAML's flow style).
                    ObjectNode entry =
                            declared.isObject() ? ((ObjectNode) declared).deepCopy() : JSON.createObjectNode();
                    ObjectNode labels = JSON.createObjectNode();
                    JsonNode own = entry.path("labels");
                    if (own.isObject()) {
                        labels.setAll((ObjectNode) own);
                    }
                    owner.labels().forEach(labels::put);
                    entry.set("labels", labels);
                    entries.append("  ")
                            .append(quoted(key))
                            .append(": ")
                            .append(entry)
                            .append('\n');
                }
            });
            if (!entries.isEmpty()) {
                yaml.append(section).append(":\n").append(entries);
            }
        }
        return yaml.toString();
    }

    private static void labels(StringBuilder yaml, Map<String, String> labels, String indent) {
        labels.forEach((k, v) -> yaml.append(indent)
                .append(quoted(k))
                .append(": ")
                .append(quoted(v))
                .append('\n'));
    }

    /** A YAML double-quoted scalar; label values hold ':' and '/'. */
    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

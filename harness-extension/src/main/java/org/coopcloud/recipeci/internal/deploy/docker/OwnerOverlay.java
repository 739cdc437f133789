package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.coopcloud.recipeci.internal.lock.Owner;

/**
 * The compose file the harness adds to every deploy of a run's app: the run's {@link Owner} as labels on each service
 * ({@code deploy.labels}) and on each volume, network, config and secret the stack creates (external ones are not
 * the stack's and are left as they are). Docker merges label maps, so the recipe's own labels stay; the file is
 * written in the recipe's compose version (docker refuses to merge files of different versions).
 */
final class OwnerOverlay {
    static final String FILE = "compose.recipe-ci-owner.yml";

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
                    entries.append("  ").append(quoted(key)).append(":\n    labels:\n");
                    labels(entries, owner.labels(), "      ");
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

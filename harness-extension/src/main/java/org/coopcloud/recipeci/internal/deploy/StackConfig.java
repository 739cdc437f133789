package org.coopcloud.recipeci.internal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;

/**
 * A stack as {@code docker stack config} prints it — the compose files merged and interpolated — read for what must
 * be checked before anything is created: the names its secrets and configs get on the swarm.
 *
 * @param secrets compose key → swarm name
 * @param configs compose key → swarm name
 */
public record StackConfig(Map<String, String> secrets, Map<String, String> configs) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public StackConfig {
        secrets = Map.copyOf(secrets);
        configs = Map.copyOf(configs);
    }

    /**
     * @param stack the stack the files are deployed as: docker names an entry without {@code name:} after it
     * @throws IllegalArgumentException when {@code yaml} is not what {@code docker stack config} prints
     */
    public static StackConfig parse(String yaml, StackName stack) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("not the output of docker stack config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not the output of docker stack config: no mapping at the top");
        }
        return new StackConfig(names(root.path("secrets"), stack), names(root.path("configs"), stack));
    }

    /** Each entry's {@code name:}; without one, its key — prefixed with the stack unless it is external. */
    private static Map<String, String> names(JsonNode section, StackName stack) {
        Map<String, String> names = new LinkedHashMap<>();
        section.fields().forEachRemaining(e -> {
            JsonNode name = e.getValue().path("name");
            boolean external = e.getValue().path("external").asBoolean(false);
            names.put(e.getKey(), name.isTextual() ? name.asText() : external ? e.getKey() : stack + "_" + e.getKey());
        });
        return names;
    }

    /**
     * @param where names the recipe and ref in messages
     * @throws RecipeConfigurationException for a secret or config whose swarm name is longer than swarm allows
     */
    public void requireNamesWithinLimit(String where) {
        check(where, "secret", secrets);
        check(where, "config", configs);
    }

    private static void check(String where, String kind, Map<String, String> names) {
        names.forEach((key, name) -> {
            if (name.length() > AppSecret.MAX_NAME) {
                throw new RecipeConfigurationException(where + ": " + kind + " '" + key + "' would be named " + name
                        + " on the swarm (" + name.length() + " characters), longer than swarm's limit of "
                        + AppSecret.MAX_NAME + " — nothing was created. Shorten its name: in the recipe's compose"
                        + " file, or with a shorter app domain");
            }
        });
    }
}

package org.coopcloud.recipeci.internal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;

/**
 * An app's compose files merged and interpolated the way docker deploys them: the YAML {@code docker stack config}
 * prints for the {@code COMPOSE_FILE} chain and the app's env. Read for what must be known or checked before anything
 * is created: the services, their deploy labels and networks (Traefik's routers), and the names the secrets and
 * configs get on the swarm. Docker normalises it (labels become maps, networks maps), but a few places still come in
 * either form, and the readers here take both.
 */
public final class StackConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode root;

    private StackConfig(JsonNode root) {
        this.root = root;
    }

    /**
     * @param origin what the YAML is of, for the message (e.g. "the compose files of recipe 'hello' at main")
     * @throws RecipeConfigurationException when it is not YAML with a {@code services} map
     */
    public static StackConfig parse(String yaml, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new RecipeConfigurationException(origin + " merge into something that is not YAML: "
                    + e.getMessage().lines().findFirst().orElse("")
                    + " — check them with `docker stack config -c compose.yml`");
        }
        if (root == null
                || !root.path("services").isObject()
                || root.path("services").isEmpty()) {
            throw new RecipeConfigurationException(
                    origin + " declare no services — a recipe's compose.yml needs a `services:` map");
        }
        return new StackConfig(root);
    }

    /** The merged files' {@code version}; missing when they give none. */
    public JsonNode version() {
        return root.path("version");
    }

    /** The compose services, by name, in file order. */
    public List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    public JsonNode service(String name) {
        return root.path("services").path(name);
    }

    /** A service's {@code deploy.labels} (what swarm, and so Traefik's swarm provider, sees), as a map. */
    public Map<String, String> deployLabels(String service) {
        return stringMap(service(service).path("deploy").path("labels"));
    }

    /** The keys under which the service lists its networks (compose keys, not swarm names). */
    public List<String> networkKeys(String service) {
        JsonNode networks = service(service).path("networks");
        List<String> keys = new ArrayList<>();
        if (networks.isObject()) {
            networks.fieldNames().forEachRemaining(keys::add);
        } else if (networks.isArray()) {
            networks.forEach(n -> keys.add(n.asText()));
        }
        return keys;
    }

    /** The compose key of a top-level network whose swarm name is {@code name} ({@code name:}, or the key itself). */
    public List<String> networkKeysNamed(String name) {
        List<String> keys = new ArrayList<>();
        root.path("networks").fields().forEachRemaining(e -> {
            JsonNode declared = e.getValue().path("name");
            if (declared.isTextual()
                    ? declared.asText().equals(name)
                    : e.getKey().equals(name)) {
                keys.add(e.getKey());
            }
        });
        return keys;
    }

    /** A top-level section ({@code volumes}, {@code networks}, {@code configs}, {@code secrets}): key → declaration. */
    public Map<String, JsonNode> topLevel(String section) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        root.path(section).fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
        return entries;
    }

    /** The app's secrets: compose key → the name the secret gets on the swarm. */
    public Map<String, String> secrets(StackName stack) {
        return names(root.path("secrets"), stack);
    }

    /** The app's configs: compose key → the name the config gets on the swarm. */
    public Map<String, String> configs(StackName stack) {
        return names(root.path("configs"), stack);
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
    public void requireNamesWithinLimit(StackName stack, String where) {
        check(where, "secret", secrets(stack));
        check(where, "config", configs(stack));
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

    /** A {@code key: value} map or a {@code - key=value} list, as a map of strings. */
    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        } else if (node.isArray()) {
            node.forEach(item -> {
                String text = item.asText();
                int eq = text.indexOf('=');
                map.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            });
        }
        return map;
    }
}

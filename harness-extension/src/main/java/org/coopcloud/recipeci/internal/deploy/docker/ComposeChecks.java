package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.StackConfig;

/**
 * What {@code docker stack config} lets through and {@code docker stack deploy} — or the host — would regret, checked
 * on the merged compose before anything is created: a service without an image, a secret, config, volume or network
 * a service names and the files never declare ({@code undefined secret}, at deploy time), and paths that leave the
 * recipe's checkout. A pull request controls the compose files, and docker reads whatever they name on the host:
 * the {@code file:} of a secret or config (its content goes into the swarm, readable by the app) and the source of a
 * bind mount must lie in the checkout — a bind mount of a host path only when the operator allows that path
 * ({@code recipeci.host-mounts}). A backupbot volume path must stay inside its volume.
 */
final class ComposeChecks {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ComposeChecks() {}

    /**
     * @param workTree the recipe's checkout
     * @param hostMounts host paths a recipe may bind-mount (e.g. {@code /var/run/docker.sock})
     * @param origin names the recipe and ref in messages
     * @throws RecipeConfigurationException saying what is wrong and what to do
     */
    static void check(StackConfig config, Path workTree, List<Path> hostMounts, String origin) {
        Path root = real(workTree);
        Set<String> secrets = config.topLevel("secrets").keySet();
        Set<String> configs = config.topLevel("configs").keySet();
        Set<String> volumes = config.topLevel("volumes").keySet();
        Set<String> networks = config.topLevel("networks").keySet();
        for (String service : config.serviceNames()) {
            JsonNode spec = config.service(service);
            String where = origin + ": service " + service;
            if (!spec.path("image").isTextual() || spec.path("image").asText().isBlank()) {
                throw refused(where + " has no image — docker stack deploy cannot run it; give it one (`image:`)");
            }
            references(where, "secret", spec.path("secrets"), secrets);
            references(where, "config", spec.path("configs"), configs);
            for (JsonNode mount : spec.path("volumes")) {
                String type = mount.path("type").asText("volume");
                String source = mount.path("source").asText("");
                if (type.equals("volume") && !source.isEmpty() && !volumes.contains(source)) {
                    throw refused(where + " mounts volume '" + source + "', which no `volumes:` section declares"
                            + " (docker: \"undefined volume\") — declare it at the top level of the compose file");
                }
                if (type.equals("bind") && !inside(root, source) && !allowed(source, hostMounts)) {
                    throw refused(where + " bind-mounts " + source + " from the host, outside the recipe's checkout"
                            + " — nothing was created. A recipe may mount its own files; a host path only when the"
                            + " operator allows it (recipeci.host-mounts=" + source + ")");
                }
            }
            for (String network : config.networkKeys(service)) {
                if (!network.equals("default") && !networks.contains(network)) {
                    throw refused(where + " joins network '" + network + "', which no `networks:` section declares"
                            + " (docker: \"undefined network\") — declare it (the proxy network as external)");
                }
            }
            backupPaths(where, config.deployLabels(service));
        }
        files(origin, "secret", config.topLevel("secrets"), root);
        files(origin, "config", config.topLevel("configs"), root);
        volumeDevices(origin, config.topLevel("volumes"), root, hostMounts);
        for (String service : config.serviceNames()) {
            for (String file : envFileNames(config.service(service).path("env_file"))) {
                envFile(origin + ": service " + service, file, root, root);
            }
        }
    }

    /**
     * Refuses a secret, config or volume the compose files name outside the app's own namespace ({@code <stack>_}):
     * an {@code external: true} secret or an explicit {@code name:} hands the app — code a pull request controls —
     * whatever already carries that name on the swarm, such as another app's secret or data volume, and a teardown
     * that removes by the stack's name and label would leave it. Recipes name theirs
     * {@code ${STACK_NAME}_<name>_${SECRET_<NAME>_VERSION}}.
     *
     * @throws RecipeConfigurationException naming the entry and what it should be called
     */
    static void namesInStack(StackConfig config, StackName stack, String origin) {
        String prefix = stack.value() + "_";
        for (String section : new String[] {"secrets", "configs", "volumes"}) {
            String kind = section.substring(0, section.length() - 1);
            config.topLevel(section).forEach((key, spec) -> {
                boolean external = spec.path("external").asBoolean(false);
                String name =
                        spec.path("name").isTextual() ? spec.path("name").asText() : external ? key : prefix + key;
                if (!name.startsWith(prefix)) {
                    throw refused(origin + ": " + kind + " '" + key + "' is " + name + " on the swarm"
                            + (external ? " (external)" : "") + ", outside this app's namespace " + prefix
                            + "* — nothing was created. It would hand the app whatever of another app's carries that"
                            + " name: name it ${STACK_NAME}_" + key
                            + (section.equals("secrets")
                                    ? "_${SECRET_" + key.toUpperCase(Locale.ROOT) + "_VERSION}"
                                    : ""));
                }
            });
        }
    }

    /**
     * Refuses, before {@code docker stack config} reads anything, an {@code env_file:} of the compose files that
     * names a file outside the checkout: docker's client reads it on this host while merging, puts its lines into
     * the service's environment — on the swarm, for the app to read — and quotes a line it cannot parse in its error,
     * which the harness would print ({@code env_file: /etc/passwd} puts a line of it in the run's log). The paths are
     * interpolated with the deploy's env as docker would; one that cannot be resolved so is refused too.
     *
     * @param files the {@code COMPOSE_FILE} chain, relative to {@code workTree} (each already known to be in it)
     * @param env the variables docker interpolates the files with
     * @throws RecipeConfigurationException for an env file outside the checkout
     */
    static void envFilesBeforeReading(Path workTree, List<String> files, Map<String, String> env, String origin) {
        if (files.isEmpty()) {
            return;
        }
        Path root = real(workTree);
        // docker resolves relative paths against the directory of the first compose file
        Path base =
                real(workTree.resolve(files.get(0)).toAbsolutePath().normalize().getParent());
        for (String file : files) {
            JsonNode doc;
            try {
                doc = YAML.readTree(workTree.resolve(file).toFile());
            } catch (IOException | RuntimeException e) {
                continue; // docker stack config says what is wrong with it
            }
            if (doc == null) {
                continue;
            }
            doc.path("services").fields().forEachRemaining(service -> {
                for (String name : envFileNames(service.getValue().path("env_file"))) {
                    String where = origin + ": service " + service.getKey() + " (" + file + ")";
                    envFile(where, interpolated(name, env, where), base, root);
                }
            });
        }
    }

    private static List<String> envFileNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isTextual()) {
            names.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode entry : node) {
                String name =
                        entry.isTextual() ? entry.asText() : entry.path("path").asText("");
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static void envFile(String where, String name, Path base, Path root) {
        String expanded = name.startsWith("~") ? System.getProperty("user.home") + name.substring(1) : name;
        Path path = base.resolve(expanded).normalize();
        if (!real(path).startsWith(root)) {
            throw refused(where + " reads env_file " + name + ", outside the recipe's checkout — nothing was"
                    + " created. Docker would put that host file's lines into the app's environment: name a file"
                    + " of the recipe, relative to its compose file");
        }
    }

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** {@code text} interpolated as docker does for the forms an env file's path may sensibly use. */
    private static String interpolated(String text, Map<String, String> env, String where) {
        if (VARIABLE.matcher(text).replaceAll("").contains("$")) {
            throw refused(where + " reads env_file " + text + ", a path recipe-ci cannot resolve before docker reads"
                    + " it — nothing was created. Name a file of the recipe, relative to its compose file");
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            if (m.group().equals("$$")) {
                value = "$";
            } else if (m.group(4) != null) {
                value = env.getOrDefault(m.group(4), "");
            } else {
                String set = env.get(m.group(1));
                boolean useDefault =
                        m.group(2) != null && (set == null || (m.group(2).equals(":-") && set.isEmpty()));
                value = useDefault ? m.group(3) : set == null ? "" : set;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A local volume whose driver options mount a host path ({@code device: /etc} with {@code o: bind}, or a host
     * block device such as {@code /dev/sda1}) is a bind mount by another name: held to the same rule as one.
     */
    private static void volumeDevices(String origin, Map<String, JsonNode> volumes, Path root, List<Path> hostMounts) {
        volumes.forEach((key, spec) -> {
            JsonNode opts = spec.path("driver_opts");
            String driver = spec.path("driver").asText("local");
            String device = opts.path("device").asText("");
            String type = opts.path("type").asText("");
            if (spec.path("external").asBoolean(false)
                    || !driver.equals("local")
                    || !device.startsWith("/")
                    || NETWORK_FILESYSTEMS.contains(type)) {
                return;
            }
            if (!inside(root, device) && !allowed(device, hostMounts)) {
                throw refused(origin + ": volume '" + key + "' mounts " + device + " from the host (driver_opts"
                        + " device), outside the recipe's checkout — nothing was created. A recipe may mount its"
                        + " own files; a host path only when the operator allows it (recipeci.host-mounts="
                        + device + ")");
            }
        });
    }

    /** Local-driver types whose {@code device} names another machine's share, not a path of this host. */
    private static final Set<String> NETWORK_FILESYSTEMS = Set.of("nfs", "nfs4", "cifs", "smb3", "tmpfs");

    private static void references(String where, String kind, JsonNode list, Set<String> declared) {
        for (JsonNode ref : list) {
            String name = ref.isTextual() ? ref.asText() : ref.path("source").asText("");
            if (!name.isEmpty() && !declared.contains(name)) {
                throw refused(where + " uses " + kind + " '" + name + "', which no `" + kind + "s:` section declares"
                        + " (docker: \"undefined " + kind + "\") — declare it at the top level of the compose file");
            }
        }
    }

    private static void files(String origin, String kind, Map<String, JsonNode> declared, Path root) {
        declared.forEach((key, spec) -> {
            String file = spec.path("file").asText("");
            if (!file.isEmpty() && !inside(root, file)) {
                throw refused(origin + ": " + kind + " '" + key + "' is read from " + file + ", outside the recipe's"
                        + " checkout — nothing was created. Its content would go into the swarm for the app to read:"
                        + " name a file of the recipe (relative to its compose file)");
            }
        });
    }

    private static void backupPaths(String where, Map<String, String> labels) {
        try {
            BackupLabels.of(labels)
                    .volumePaths()
                    .forEach((volume, paths) -> paths.forEach(path -> BackupPlan.inVolume("/", volume, path)));
        } catch (RecipeCiException e) {
            throw refused(where + ": " + e.getMessage());
        }
    }

    /** Whether {@code path} (absolute, as docker printed it) is, once links are resolved, in {@code root}. */
    private static boolean inside(Path root, String path) {
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            return false;
        }
        return real(p.normalize()).startsWith(root);
    }

    private static boolean allowed(String source, List<Path> hostMounts) {
        Path p = Path.of(source).normalize();
        return hostMounts.stream().anyMatch(allowed -> p.equals(allowed.normalize()));
    }

    /** The path with its links resolved as far as it exists (a file not there yet resolves to its parent's place). */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        List<Path> missing = new ArrayList<>();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            missing.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            Path real = existing.toRealPath();
            for (Path name : missing) {
                real = real.resolve(name);
            }
            return real;
        } catch (IOException e) {
            return absolute;
        }
    }

    private static RecipeConfigurationException refused(String message) {
        return new RecipeConfigurationException(message);
    }
}

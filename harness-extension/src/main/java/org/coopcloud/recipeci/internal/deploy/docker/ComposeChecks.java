package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
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
    }

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

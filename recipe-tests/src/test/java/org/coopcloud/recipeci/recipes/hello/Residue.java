package org.coopcloud.recipeci.recipes.hello;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.lock.AppLock;

/**
 * What is left on this host of a set of run apps, each named by its domain: anything on the swarm named after its
 * stack (stack, service, container, volume, secret, config, network, edge container), its env file, its edge
 * directory and its lockfile. Read with one listing per kind, however many apps.
 */
final class Residue {
    private Residue() {}

    /** Leftovers per domain; a domain with none is not in the answer. */
    static Map<AppDomain, List<String>> of(Collection<AppDomain> domains, Path lockDir)
            throws IOException, InterruptedException {
        Map<String, List<String>> listings = new LinkedHashMap<>();
        listings.put("stack", docker("stack", "ls", "--format", "{{.Name}}"));
        listings.put("service", docker("service", "ls", "--format", "{{.Name}}"));
        listings.put("container", docker("container", "ls", "--all", "--format", "{{.Names}}"));
        for (String kind : List.of("volume", "secret", "config", "network")) {
            listings.put(kind, docker(kind, "ls", "--format", "{{.Name}}"));
        }
        Path home = Path.of(System.getenv()
                .getOrDefault(
                        "RECIPECI_HOME",
                        Path.of(System.getProperty("user.home"), ".recipe-ci").toString()));
        FrontDoorSettings edges = new FrontDoorSettings(
                FrontDoorSettings.Mode.BRIDGE, lockDir.resolve(FrontDoorSettings.EDGE_DIR), "residue");
        Map<AppDomain, List<String>> left = new LinkedHashMap<>();
        for (AppDomain domain : domains) {
            String stack = domain.stackName().value();
            List<String> found = new ArrayList<>();
            listings.forEach((kind, names) -> names.stream()
                    .filter(n -> n.equals(stack) || n.startsWith(stack + "_") || n.equals("recipe-ci-edge-" + stack))
                    .forEach(n -> found.add(kind + " " + n)));
            Path env = home.resolve("servers/local/" + domain + ".env");
            if (Files.exists(env)) {
                found.add("env file " + env);
            }
            if (Files.exists(edges.edgeDir(domain.stackName()))) {
                found.add("edge directory " + edges.edgeDir(domain.stackName()));
            }
            if (Files.exists(AppLock.lockFile(lockDir, domain))) {
                found.add("lockfile " + AppLock.lockFile(lockDir, domain));
            }
            if (!found.isEmpty()) {
                left.put(domain, found);
            }
        }
        return left;
    }

    private static List<String> docker(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + out);
        }
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}

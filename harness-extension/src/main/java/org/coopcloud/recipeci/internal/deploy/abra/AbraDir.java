package org.coopcloud.recipeci.internal.deploy.abra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.deploy.docker.Swarm;

/**
 * The {@code ABRA_DIR} of one run, {@code <run dir>/abra}: {@code servers/} and {@code catalogue/} are links to the
 * canonical abra directory, so app env files land where every run and the janitor see them, while {@code recipes/}
 * is the run's own, so abra deploys this run's checkout of the code under test and no other run's. The server is
 * the one named by {@code recipeci.abra-server}, else the only one configured in the canonical directory.
 */
final class AbraDir {
    static final List<String> SHARED = List.of("servers", "catalogue");

    private final Path dir;
    private final Path canonical;
    private final Optional<String> serverName;
    private String resolvedServer;

    /**
     * @param dir the run's abra directory (built by {@link #prepare})
     * @param canonical the host's abra directory, e.g. {@code ~/.abra}
     * @param serverName the configured server, if one was named
     */
    AbraDir(Path dir, Path canonical, Optional<String> serverName) {
        this.dir = dir.toAbsolutePath().normalize();
        this.canonical = canonical.toAbsolutePath().normalize();
        this.serverName = serverName;
    }

    Path path() {
        return dir;
    }

    Path canonical() {
        return canonical;
    }

    /** Where abra reads the recipe from: the run's checkout goes here. */
    Path recipe(RecipeName recipe) {
        return dir.resolve("recipes").resolve(recipe.value());
    }

    /** The app's env file, by its canonical path (the same file as through the run's {@code servers} link). */
    Path envFile(AppDomain domain) {
        return canonical.resolve("servers").resolve(server()).resolve(domain.value() + ".env");
    }

    /**
     * The apps whose env files are on the run's server, by the files' names: what abra knows of, read without abra
     * (the janitor's fallback when {@code abra app ls} fails).
     */
    List<AppDomain> appsWithEnvFiles() {
        Path dir = canonical.resolve("servers").resolve(server());
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".env"))
                    .map(name -> name.substring(0, name.length() - ".env".length()))
                    .sorted()
                    .flatMap(name -> Swarm.domainOrEmpty(name).stream())
                    .toList();
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot list the app env files in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The server apps are created on, resolved once: a server added to the canonical directory while the run lives
     * (another operator, another run's setup) must not make its later calls — the teardown among them — fail as
     * "several servers, none named".
     *
     * @throws RecipeConfigurationException when none is configured, the named one is not, or several are and none
     *     was named
     */
    synchronized String server() {
        if (resolvedServer == null) {
            resolvedServer = resolveServer();
        }
        return resolvedServer;
    }

    private String resolveServer() {
        Path servers = canonical.resolve("servers");
        List<String> configured = configuredServers(servers);
        if (serverName.isPresent()) {
            if (!configured.contains(serverName.get())) {
                throw new RecipeConfigurationException("recipeci.abra-server '" + serverName.get()
                        + "' is not configured in " + servers
                        + (configured.isEmpty()
                                ? " (it has no server)"
                                : " (configured: " + String.join(", ", configured) + ")")
                        + ": name one of those, or add it with `abra server add`");
            }
            return serverName.get();
        }
        if (configured.isEmpty()) {
            throw new RecipeConfigurationException("the abra driver needs a server, and " + servers
                    + " has none: add the swarm's host with `abra server add`, or point recipeci.abra-home"
                    + " (RECIPECI_ABRA_HOME) at an abra directory that has one");
        }
        if (configured.size() > 1) {
            throw new RecipeConfigurationException(servers + " has " + configured.size() + " servers ("
                    + String.join(", ", configured) + "): choose one with -Drecipeci.abra-server=NAME"
                    + " (or RECIPECI_ABRA_SERVER)");
        }
        return configured.get(0);
    }

    private static List<String> configuredServers(Path servers) {
        if (!Files.isDirectory(servers)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(servers)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot list the abra servers in " + servers + ": " + e.getMessage()
                    + " — check that recipeci.abra-home points at a readable abra directory");
        }
    }

    /**
     * Builds the run's abra directory and checks it: {@code recipes/} exists (a checkout already in it stays), and
     * {@code servers} and {@code catalogue} are links that resolve to the canonical directories. Safe to call again.
     *
     * @throws RecipeConfigurationException when the directory cannot be built, or a real directory sits where a
     *     link belongs
     */
    synchronized void prepare() {
        server();
        try {
            Files.createDirectories(dir.resolve("recipes"));
            // abra creates its catalogue on first use; a link to a missing one would leave it nowhere to do so.
            Files.createDirectories(canonical.resolve("catalogue"));
            for (String shared : SHARED) {
                link(dir.resolve(shared), canonical.resolve(shared));
            }
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot build the run's abra directory " + dir + ": " + e
                    + " — set recipeci.runs-dir to a writable directory");
        }
        for (String shared : SHARED) {
            Path link = dir.resolve(shared);
            if (!Files.isSymbolicLink(link) || !sameFile(link, canonical.resolve(shared))) {
                throw new RecipeConfigurationException(
                        link + " does not lead to " + canonical.resolve(shared) + ": remove it and run again");
            }
        }
    }

    private static void link(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link)) {
            if (Files.readSymbolicLink(link).equals(target)) {
                return;
            }
            Files.delete(link); // a reused run directory that pointed elsewhere
        } else if (Files.exists(link)) {
            throw new RecipeConfigurationException(
                    link + " is a real " + (Files.isDirectory(link) ? "directory" : "file")
                            + ", where the link to " + target + " belongs: remove it (app env files must live in the"
                            + " canonical abra directory) and run again");
        }
        Files.createSymbolicLink(link, target);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isDirectory(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}

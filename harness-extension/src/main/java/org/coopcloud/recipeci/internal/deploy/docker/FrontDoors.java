package org.coopcloud.recipeci.internal.deploy.docker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.FrontDoor;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings.Mode;
import org.coopcloud.recipeci.internal.deploy.docker.TraefikRouters.AppRouters;
import org.coopcloud.recipeci.internal.deploy.docker.TraefikRouters.Router;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Alongside;

/**
 * The front doors of the apps this process deploys. Per app: the routers of what was last deployed and, with the
 * bridge, the {@link EdgeBridge} that reaches them — opened on a thread of its own while docker deploys, kept across
 * redeploys while its targets stay the same, closed at teardown. Also removes what the front door of a run that died
 * left (edge containers found by their label, edge directories by their name).
 */
final class FrontDoors {
    private final DockerCli docker;
    private final FrontDoorSettings settings;
    private final RunLog log;
    private final List<String> ownerLabels;
    private final Map<AppDomain, Door> doors = new ConcurrentHashMap<>();

    /** What one app's door was opened for, and its bridge (empty with Traefik, or when nothing can be bridged). */
    private record Door(AppRouters routers, Set<String> targets, CompletableFuture<Optional<EdgeBridge>> bridge) {}

    /** @param ownerLabels {@code --label} arguments naming the run's owner, for its edge containers */
    FrontDoors(DockerCli docker, FrontDoorSettings settings, RunLog log, List<String> ownerLabels) {
        this.docker = docker;
        this.settings = settings;
        this.log = log;
        this.ownerLabels = List.copyOf(ownerLabels);
    }

    /** The {@code proxy} network exists and, for the bridge, the edge image is here. */
    void check() {
        if (settings.mode() != Mode.BRIDGE) {
            ProxyNetwork.ensure(docker, log);
            return;
        }
        // Two docker reads in one round trip.
        Alongside image = Alongside.start("recipe-ci-check-edge-image", () -> EdgeContainer.requireImage(docker));
        try {
            ProxyNetwork.ensure(docker, log);
        } catch (RuntimeException e) {
            image.await(); // the network's failure is the one to fix first
            throw e;
        }
        image.join();
    }

    /**
     * Starts opening the door of an app that is about to be deployed with {@code routers}, without waiting: the edge
     * container starts while docker deploys. A door already open to the same targets stays as it is.
     */
    void open(AppDomain domain, AppRouters routers) {
        StackName stack = domain.stackName();
        Set<String> targets = new LinkedHashSet<>();
        if (settings.mode() == Mode.BRIDGE) {
            routers.all().stream().filter(r -> r.port().isPresent()).forEach(r -> targets.add(r.target(stack)));
        }
        Door open = doors.get(domain);
        if (open != null && open.targets().equals(targets)) {
            doors.put(domain, new Door(routers, targets, open.bridge()));
            return;
        }
        if (open != null) {
            log.info(domain + ": the deploy changes what the routers reach (" + String.join(", ", targets)
                    + ") — reopening the bridge");
            close(domain);
        }
        CompletableFuture<Optional<EdgeBridge>> bridge = new CompletableFuture<>();
        doors.put(domain, new Door(routers, targets, bridge));
        if (targets.isEmpty()) {
            if (settings.mode() == Mode.BRIDGE) {
                log.info(domain + ": no bridge to open — " + unreachable(routers));
            }
            bridge.complete(Optional.empty());
            return;
        }
        // A thread of its own, not a pool's: the docker child it starts dies with the thread that spawned it.
        Thread opener = new Thread(
                () -> {
                    long started = System.nanoTime();
                    try {
                        EdgeBridge opened = EdgeBridge.open(
                                docker,
                                settings.edgeBase(),
                                settings.owner(),
                                ownerLabels,
                                stack,
                                List.copyOf(targets));
                        bridge.complete(Optional.of(opened));
                        List<String> routes = new ArrayList<>();
                        opened.targets().forEach(t -> routes.add("127.0.0.1:" + opened.port(t) + " → " + t));
                        log.info(domain + ": bridge open in " + (System.nanoTime() - started) / 1_000_000 + " ms ("
                                + String.join(", ", routes) + ", edge " + EdgeContainer.name(stack) + ")");
                    } catch (RuntimeException e) {
                        bridge.completeExceptionally(e);
                    }
                },
                "recipe-ci-bridge-open-" + stack);
        opener.setDaemon(true);
        opener.start();
    }

    /** Why none of the routers can be bridged, router by router (the traefik recipe's dashboard is api@internal). */
    private static String unreachable(AppRouters routers) {
        List<String> why = new ArrayList<>();
        routers.all()
                .forEach(r ->
                        why.add("router " + r.name() + " " + r.unreachable().orElse("has no port")));
        return String.join("; ", why);
    }

    /**
     * The app's front door, once open.
     *
     * @throws IllegalStateException when this process has not deployed the app
     * @throws DeployFailedException when its bridge could not be opened
     */
    FrontDoor await(AppDomain domain) {
        Door door = doors.get(domain);
        if (door == null) {
            throw new IllegalStateException("recipe-ci has no front door to " + domain + ": it was not deployed by"
                    + " this run, or it was torn down");
        }
        Optional<EdgeBridge> bridge = join(door.bridge(), domain);
        Router main = door.routers().main();
        Map<String, FrontDoor.Entrance> entrances = new LinkedHashMap<>();
        Map<String, String> unreachable = new LinkedHashMap<>();
        for (Router router : door.routers().all()) {
            String host = router == main
                    ? domain.value()
                    : router.hosts().stream().findFirst().orElse(domain.value());
            if (settings.mode() == Mode.TRAEFIK) {
                entrances.put(
                        router.name(),
                        new FrontDoor.Entrance(router.name(), URI.create("https://" + host), host, "Traefik"));
            } else if (router.port().isPresent() && bridge.isPresent()) {
                String target = router.target(domain.stackName());
                entrances.put(
                        router.name(),
                        new FrontDoor.Entrance(
                                router.name(),
                                URI.create("http://127.0.0.1:" + bridge.get().port(target)),
                                host,
                                "edge bridge to " + target));
            } else {
                unreachable.put(router.name(), router.unreachable().orElse("has no port"));
            }
        }
        return new FrontDoor(main.name(), entrances, unreachable);
    }

    private static Optional<EdgeBridge> join(CompletableFuture<Optional<EdgeBridge>> bridge, AppDomain domain) {
        try {
            return bridge.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecipeCiException("interrupted while the bridge to " + domain + " was opening");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecipeCiException cause) {
                throw new DeployFailedException(cause.getMessage(), cause);
            }
            throw new DeployFailedException("the bridge to " + domain + " did not open: " + e.getCause(), e);
        }
    }

    /**
     * Closes this process's door of the app (waiting for a bridge that is still opening), then removes any edge
     * container or edge directory of the app that a dead run left.
     *
     * @throws RecipeCiException naming what could not be removed
     */
    void close(AppDomain domain) {
        List<String> problems = new ArrayList<>();
        Door door = doors.remove(domain);
        if (door != null) {
            try {
                door.bridge()
                        .handle((bridge, failed) -> bridge == null ? Optional.<EdgeBridge>empty() : bridge)
                        .join()
                        .ifPresent(EdgeBridge::close);
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        StackName stack = domain.stackName();
        Set<Path> dirs = new LinkedHashSet<>(List.of(EdgeDir.of(settings.edgeBase(), stack)));
        for (String[] edge : EdgeContainer.of(docker, stack)) {
            log.info(domain + ": removing the edge container " + edge[0] + " of a run that is gone");
            EdgeContainer.remove(docker, edge[0]);
            if (edge.length > 1 && !edge[1].isBlank()) {
                dirs.add(Path.of(edge[1]));
            }
        }
        for (Path dir : dirs) {
            EdgeDir.removeOrphan(dir).ifPresent(why -> problems.add("edge directory " + dir + " stays: " + why));
        }
        if (!problems.isEmpty()) {
            throw new RecipeCiException(domain + ": " + String.join("; ", problems));
        }
    }

    /** The edge directory of the app, when it exists (its containers are listed with the others). */
    List<String> leftoverDirs(AppDomain domain) {
        Path dir = EdgeDir.of(settings.edgeBase(), domain.stackName());
        return Files.exists(dir) ? List.of("edge directory " + dir) : List.of();
    }
}

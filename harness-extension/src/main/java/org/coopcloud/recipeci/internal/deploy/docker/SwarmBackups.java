package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;

/**
 * backupbot's label semantics, done with {@code docker exec} and {@code docker cp} (restic is not available here):
 *
 * <ul>
 *   <li>{@code backupbot.backup=true} marks a service for backup;
 *   <li>{@code backupbot.backup.path=/a,/b} names the paths to copy; without it, every volume mounted in the
 *       service's container;
 *   <li>{@code backupbot.backup.volumes.<volume>=false} leaves a volume (by its compose name) out;
 *   <li>{@code backupbot.backup.pre-hook} / {@code post-hook} run in the container around the copy,
 *       {@code backupbot.restore.pre-hook} / {@code post-hook} around a restore ({@code sh -c}, as backupbot does).
 * </ul>
 */
final class SwarmBackups {
    static final String BACKUP = "backupbot.backup";
    private static final Duration HOOK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerCli docker;
    private final RunLog log;

    SwarmBackups(DockerCli docker, RunLog log) {
        this.docker = docker;
        this.log = log;
    }

    boolean capable(StackName stack) {
        return !backedUp(stack).isEmpty();
    }

    /**
     * Where the app service's backups start: its first {@code backupbot.backup.path}, or without one its first
     * volume that is not excluded. Empty when the app service is not backed up.
     */
    Optional<String> firstPath(StackName stack) {
        String service = stack + "_app";
        Map<String, String> labels = docker.serviceLabels(service);
        if (!"true".equalsIgnoreCase(labels.getOrDefault(BACKUP, ""))) {
            return Optional.empty();
        }
        return docker.runningContainer(service)
                .flatMap(container -> paths(stack, container, labels).stream().findFirst());
    }

    Snapshot backup(StackName stack, String id, Path dir) {
        List<Snapshot.Entry> entries = new ArrayList<>();
        for (String service : backedUp(stack)) {
            Map<String, String> labels = docker.serviceLabels(service);
            String container = container(service);
            hook(container, service, labels.get(BACKUP + ".pre-hook"), "backup pre-hook");
            try {
                copyOut(stack, service, container, labels, dir, entries);
            } finally {
                // Always: a pre-hook may have put the app into maintenance mode.
                hook(container, service, labels.get(BACKUP + ".post-hook"), "backup post-hook");
            }
        }
        if (entries.isEmpty()) {
            throw new RecipeCiException("backup of " + stack + " copied nothing: no service with " + BACKUP
                    + "=true has a path or volume to back up");
        }
        Snapshot snapshot = new Snapshot(id, dir, entries);
        writeManifest(snapshot);
        log.info(stack + ": backup " + id + " taken (" + entries.size() + " path(s)) in " + dir);
        return snapshot;
    }

    private void copyOut(
            StackName stack,
            String service,
            String container,
            Map<String, String> labels,
            Path dir,
            List<Snapshot.Entry> entries) {
        int n = 0;
        for (String path : paths(stack, container, labels)) {
            Path copy = dir.resolve(shortName(stack, service)).resolve(Integer.toString(n++));
            createDirectories(copy.getParent());
            CommandResult copied = docker.run(Command.of("docker", "cp", container + ":" + path, copy.toString())
                    .withTimeout(COPY_TIMEOUT));
            if (!copied.ok()) {
                throw new RecipeCiException("backup of " + service + " failed: cannot copy " + path
                        + " out of its container (backupbot.backup.path): " + copied.firstLine());
            }
            entries.add(new Snapshot.Entry(service, path, copy));
        }
    }

    void restore(StackName stack, Snapshot snapshot) {
        for (String service : snapshot.entries().stream()
                .map(Snapshot.Entry::service)
                .distinct()
                .toList()) {
            Map<String, String> labels = docker.serviceLabels(service);
            String container = container(service);
            hook(container, service, labels.get("backupbot.restore.pre-hook"), "restore pre-hook");
            for (Snapshot.Entry entry : snapshot.entries()) {
                if (!entry.service().equals(service)) {
                    continue;
                }
                boolean directory = Files.isDirectory(entry.copy());
                if (directory) {
                    // A restore puts the directory back as it was: files created since the backup go.
                    CommandResult emptied = docker.exec(
                            container,
                            List.of("sh", "-c", "rm -rf -- \"$0\"/* \"$0\"/.[!.]* \"$0\"/..?*", entry.path()),
                            Optional.empty(),
                            HOOK_TIMEOUT);
                    if (!emptied.ok()) {
                        throw new RecipeCiException("restore of " + entry.path() + " into " + service
                                + " failed: cannot empty it first: " + emptied.firstLine());
                    }
                }
                CommandResult copied = docker.run(Command.of(
                                "docker",
                                "cp",
                                directory ? entry.copy() + "/." : entry.copy().toString(),
                                container + ":" + entry.path())
                        .withTimeout(COPY_TIMEOUT));
                if (!copied.ok()) {
                    throw new RecipeCiException(
                            "restore of " + entry.path() + " into " + service + " failed: " + copied.firstLine());
                }
            }
            hook(container, service, labels.get("backupbot.restore.post-hook"), "restore post-hook");
        }
        log.info(stack + ": snapshot " + snapshot.id() + " restored");
    }

    private List<String> backedUp(StackName stack) {
        return docker.serviceNames(stack).stream()
                .filter(s -> "true".equalsIgnoreCase(docker.serviceLabels(s).getOrDefault(BACKUP, "")))
                .toList();
    }

    /** The paths to copy: the declared ones, else the service's volumes, minus excluded volumes. */
    private List<String> paths(StackName stack, String container, Map<String, String> labels) {
        List<DockerCli.Mount> mounts = docker.volumeMounts(container);
        List<String> excluded = mounts.stream()
                .filter(m -> "false".equalsIgnoreCase(labels.get(BACKUP + ".volumes." + volumeName(stack, m.volume()))))
                .map(DockerCli.Mount::destination)
                .toList();
        List<String> candidates = Optional.ofNullable(labels.get(BACKUP + ".path"))
                .map(p -> Arrays.stream(p.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElseGet(
                        () -> mounts.stream().map(DockerCli.Mount::destination).toList());
        return candidates.stream()
                .filter(path -> excluded.stream().noneMatch(ex -> path.equals(ex) || path.startsWith(ex + "/")))
                .toList();
    }

    private void hook(String container, String service, String command, String what) {
        if (command == null || command.isBlank()) {
            return;
        }
        CommandResult result = docker.exec(container, List.of("sh", "-c", command), Optional.empty(), HOOK_TIMEOUT);
        if (!result.ok()) {
            throw new RecipeCiException(what + " of " + service + " failed: " + result.describe());
        }
        log.info(service + ": " + what + " ran");
    }

    private String container(String service) {
        return docker.runningContainer(service)
                .orElseThrow(() -> new RecipeCiException("no running container of " + service + " to back up from"));
    }

    private static String volumeName(StackName stack, String fullName) {
        return fullName.startsWith(stack + "_")
                ? fullName.substring(stack.value().length() + 1)
                : fullName;
    }

    private static String shortName(StackName stack, String service) {
        return service.startsWith(stack + "_") ? service.substring(stack.value().length() + 1) : service;
    }

    private static void writeManifest(Snapshot snapshot) {
        try {
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(
                            snapshot.dir().resolve("manifest.json").toFile(),
                            snapshot.entries().stream()
                                    .map(e -> Map.of(
                                            "service",
                                            e.service(),
                                            "path",
                                            e.path(),
                                            "copy",
                                            e.copy().toString()))
                                    .toList());
        } catch (IOException e) {
            throw new RecipeCiException(
                    "cannot write the snapshot manifest in " + snapshot.dir() + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RecipeCiException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}

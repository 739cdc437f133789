package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Backups and restores as backupbot's labels say ({@link BackupLabels}, planned by {@link BackupPlan}), done with
 * {@code docker exec} and {@code docker cp} (restic is not available here): backup pre-hooks, the copies, backup
 * post-hooks (also when a copy failed: a pre-hook may have put the app into maintenance mode); for a restore, the
 * restore pre-hooks, the copies put back, the restore post-hooks. Hooks run with {@code sh -c} in the container of the
 * service that declares them.
 */
final class SwarmBackups {
    private static final Duration HOOK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerCli docker;
    private final RunLog log;

    SwarmBackups(DockerCli docker, RunLog log) {
        this.docker = docker;
        this.log = log;
    }

    /** The plan for a stack as it runs now, and the running container of each of its services. */
    private record Planned(BackupPlan plan, Map<String, String> containers) {
        String container(String service) {
            return Optional.ofNullable(containers.get(service))
                    .orElseThrow(() -> new RecipeCiException(
                            "no running container of " + service + " to back up" + " from or restore into"));
        }
    }

    boolean capable(StackName stack) {
        return docker.serviceNames(stack).stream()
                .anyMatch(
                        s -> BackupLabels.of(docker.objects().serviceLabels(s)).enabled());
    }

    /**
     * Where a marker file in the app service can go and be backed up: the first whole directory the backup copies
     * out of it (an older {@code backupbot.backup.path}, or a volume's mount point). Empty when there is none.
     */
    Optional<String> firstPath(StackName stack) {
        return plan(stack).plan().firstRoot(stack + "_app");
    }

    Snapshot backup(StackName stack, String id, Path dir) {
        Planned planned = plan(stack);
        BackupPlan plan = planned.plan();
        plan.warnings().forEach(w -> log.warn(stack + ": " + w));
        List<Snapshot.Entry> entries = new ArrayList<>();
        RecipeCiException failure = null;
        try {
            hooks(planned, plan.backupPreHooks(), "backup pre-hook");
            int n = 0;
            for (BackupPlan.Copy copy : plan.copies()) {
                entries.add(copyOut(stack, planned, copy, dir, n++));
            }
        } catch (RecipeCiException e) {
            failure = e;
        }
        failure = finish(failure, () -> hooks(planned, plan.backupPostHooks(), "backup post-hook"));
        if (failure != null) {
            throw failure;
        }
        if (entries.isEmpty()) {
            throw new RecipeCiException("backup of " + stack + " copied nothing: no volume or path of the stack is left"
                    + " to back up (backupbot.backup.volumes.<volume>=false excludes every one?)");
        }
        Snapshot snapshot = new Snapshot(id, dir, entries);
        writeManifest(snapshot);
        log.info(stack + ": backup " + id + " taken (" + entries.size() + " path(s)) in " + dir);
        return snapshot;
    }

    private Snapshot.Entry copyOut(StackName stack, Planned planned, BackupPlan.Copy copy, Path dir, int n) {
        Path target = dir.resolve(BackupPlan.volumeName(stack, copy.service())).resolve(Integer.toString(n));
        createDirectories(target.getParent());
        CommandResult copied = docker.run(
                Command.of("docker", "cp", planned.container(copy.service()) + ":" + copy.path(), target.toString())
                        .withTimeout(COPY_TIMEOUT));
        if (!copied.ok()) {
            throw new RecipeCiException("backup of " + copy.service() + " failed: cannot copy " + copy.path()
                    + " out of its container (" + label(copy) + "): " + copied.firstLine());
        }
        return new Snapshot.Entry(copy.service(), copy.path(), target);
    }

    void restore(StackName stack, Snapshot snapshot) {
        Planned planned = plan(stack);
        hooks(planned, planned.plan().restorePreHooks(), "restore pre-hook");
        for (Snapshot.Entry entry : snapshot.entries()) {
            putBack(planned.container(entry.service()), entry);
        }
        hooks(planned, planned.plan().restorePostHooks(), "restore post-hook");
        log.info(stack + ": snapshot " + snapshot.id() + " restored");
    }

    private void putBack(String container, Snapshot.Entry entry) {
        // Not through a link: a copied symbolic link points into the container, and `docker cp <link>/.` would copy
        // the directory it names on this host into the app. A link goes back as the link.
        boolean directory = Files.isDirectory(entry.copy(), LinkOption.NOFOLLOW_LINKS);
        if (directory) {
            // A restore puts the directory back as it was: files created since the backup go.
            CommandResult emptied = docker.exec(
                    container,
                    List.of("sh", "-c", "rm -rf -- \"$0\"/* \"$0\"/.[!.]* \"$0\"/..?*", entry.path()),
                    Optional.empty(),
                    HOOK_TIMEOUT);
            if (!emptied.ok()) {
                throw new RecipeCiException("restore of " + entry.path() + " into " + entry.service()
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
                    "restore of " + entry.path() + " into " + entry.service() + " failed: " + copied.firstLine());
        }
    }

    private Planned plan(StackName stack) {
        List<BackupPlan.Service> services = new ArrayList<>();
        Map<String, String> containers = new LinkedHashMap<>();
        for (String service : docker.serviceNames(stack)) {
            Optional<String> container = docker.objects().runningContainer(service);
            container.ifPresent(c -> containers.put(service, c));
            services.add(new BackupPlan.Service(
                    service,
                    docker.objects().serviceLabels(service),
                    container.map(docker.objects()::volumeMounts).orElse(List.of())));
        }
        return new Planned(BackupPlan.of(stack, services), containers);
    }

    /** Runs each hook in its service's container; the first failure says which hook, and what it printed. */
    private void hooks(Planned planned, List<BackupPlan.Hook> hooks, String what) {
        for (BackupPlan.Hook hook : hooks) {
            CommandResult result = docker.exec(
                    planned.container(hook.service()),
                    List.of("sh", "-c", hook.command()),
                    Optional.empty(),
                    HOOK_TIMEOUT);
            if (!result.ok()) {
                // The hook's own error first: one-line places (summary, cap reason) show only the first line.
                throw new RecipeCiException(what + " of " + hook.service() + " failed ("
                        + (result.timedOut() ? "timed out" : "exit " + result.exitCode()) + "): " + result.firstLine()
                        + "\n" + result.describe());
            }
            // What ran, not only that something did: the run log is where a maintainer looks for the pg_dump.
            log.info(hook.service() + ": " + what + " ran in "
                    + result.duration().toMillis() + " ms: " + hook.command().replaceAll("\\s+", " "));
        }
    }

    /** Runs {@code step} after {@code failure} (or none); a second failure is added to the first, not lost. */
    private static RecipeCiException finish(RecipeCiException failure, Runnable step) {
        try {
            step.run();
            return failure;
        } catch (RecipeCiException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    private static String label(BackupPlan.Copy copy) {
        return copy.volume()
                .map(v -> BackupLabels.VOLUMES + v + (copy.root() ? "" : ".path"))
                .orElse(BackupLabels.BACKUP + ".path");
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

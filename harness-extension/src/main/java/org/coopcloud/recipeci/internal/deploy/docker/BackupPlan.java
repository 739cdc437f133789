package org.coopcloud.recipeci.internal.deploy.docker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.StackName;

/**
 * What a backup of one stack copies and which hooks run, decided from the services' backupbot labels and the
 * volumes their containers mount — no Docker involved. backup-bot-two's semantics: {@code backupbot.backup=true} on
 * a service backs up the <em>stack</em>, every volume of it by default, minus the excluded ones, limited to the
 * declared paths inside a volume where there are some; hooks run in the container of the service that declares them.
 * A service with the older {@code backupbot.backup.path} is backed up by those container paths instead of its
 * volumes.
 *
 * @param copies what is copied, in order: the service whose container it comes from and the path in it
 * @param warnings what the labels get wrong without making the backup impossible
 */
record BackupPlan(
        List<Copy> copies,
        List<Hook> backupPreHooks,
        List<Hook> backupPostHooks,
        List<Hook> restorePreHooks,
        List<Hook> restorePostHooks,
        List<String> warnings) {

    /** A service of the stack as docker shows it: its full name, its labels, its running container's volumes. */
    record Service(String name, Map<String, String> labels, List<DockerObjects.Mount> mounts) {}

    /**
     * One path to copy out of a service's container.
     *
     * @param volume the volume (compose name) it lies in; empty for an older {@code backupbot.backup.path}
     * @param root whether it is a whole directory the app owns (a volume's mount point, or an older backup path),
     *     rather than a path inside a volume
     */
    record Copy(String service, String path, Optional<String> volume, boolean root) {}

    record Hook(String service, String command) {}

    static BackupPlan empty() {
        return new BackupPlan(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    boolean isEmpty() {
        return copies.isEmpty()
                && backupPreHooks.isEmpty()
                && backupPostHooks.isEmpty()
                && restorePreHooks.isEmpty()
                && restorePostHooks.isEmpty();
    }

    /**
     * The plan for {@code services}; empty when none carries {@code backupbot.backup=true}.
     *
     * @throws RecipeCiException when a volume path label is not a path inside its volume
     */
    static BackupPlan of(StackName stack, List<Service> services) {
        List<Service> sorted =
                services.stream().sorted(Comparator.comparing(Service::name)).toList();
        Map<String, BackupLabels> labels = new LinkedHashMap<>();
        sorted.forEach(s -> labels.put(s.name(), BackupLabels.of(s.labels())));
        List<Service> enabled =
                sorted.stream().filter(s -> labels.get(s.name()).enabled()).toList();
        if (enabled.isEmpty()) {
            return empty();
        }
        List<String> warnings = new ArrayList<>();
        if (enabled.size() > 1) {
            warnings.add("backupbot.backup=true is set on " + enabled.size() + " services ("
                    + String.join(", ", enabled.stream().map(Service::name).toList())
                    + "); backup-bot-two's label specification wants it on one service of the stack");
        }
        Set<String> excluded = new LinkedHashSet<>();
        Map<String, List<String>> volumePaths = new LinkedHashMap<>();
        for (Service s : enabled) {
            excluded.addAll(labels.get(s.name()).excludedVolumes());
            labels.get(s.name()).volumePaths().forEach((v, p) -> volumePaths
                    .computeIfAbsent(v, k -> new ArrayList<>())
                    .addAll(p));
        }
        List<Copy> copies = new ArrayList<>();
        Set<String> covered = new LinkedHashSet<>();
        for (Service s : enabled) {
            List<String> legacy = labels.get(s.name()).legacyPaths();
            if (legacy.isEmpty()) {
                continue;
            }
            List<String> excludedMounts = s.mounts().stream()
                    .filter(m -> excluded.contains(volumeName(stack, m.volume())))
                    .map(DockerObjects.Mount::destination)
                    .toList();
            legacy.stream()
                    .filter(p -> excludedMounts.stream().noneMatch(ex -> p.equals(ex) || p.startsWith(ex + "/")))
                    .forEach(p -> copies.add(new Copy(s.name(), p, Optional.empty(), true)));
            s.mounts().forEach(m -> covered.add(volumeName(stack, m.volume())));
        }
        // Every volume of the stack, each copied from one container mounting it: a backed-up service's first.
        List<Service> mountOrder = new ArrayList<>(enabled);
        sorted.stream().filter(s -> !enabled.contains(s)).forEach(mountOrder::add);
        Set<String> seen = new LinkedHashSet<>();
        for (Service s : mountOrder) {
            for (DockerObjects.Mount m : s.mounts()) {
                String volume = volumeName(stack, m.volume());
                if (!seen.add(volume) || covered.contains(volume) || excluded.contains(volume)) {
                    continue;
                }
                List<String> paths = volumePaths.getOrDefault(volume, List.of());
                if (paths.isEmpty()) {
                    copies.add(new Copy(s.name(), m.destination(), Optional.of(volume), true));
                }
                for (String path : paths) {
                    copies.add(new Copy(s.name(), inVolume(m.destination(), volume, path), Optional.of(volume), false));
                }
            }
        }
        volumePaths.keySet().stream()
                .filter(v -> !seen.contains(v))
                .forEach(v -> warnings.add(
                        BackupLabels.VOLUMES + v + ".path names a volume no running service of the stack mounts"));
        return new BackupPlan(
                copies,
                hooks(sorted, labels, BackupLabels::backupPreHook),
                hooks(sorted, labels, BackupLabels::backupPostHook),
                hooks(sorted, labels, BackupLabels::restorePreHook),
                hooks(sorted, labels, BackupLabels::restorePostHook),
                warnings);
    }

    /** The first whole directory copied out of {@code service}: where a marker file can go and be backed up. */
    Optional<String> firstRoot(String service) {
        return copies.stream()
                .filter(c -> c.service().equals(service) && c.root())
                .map(Copy::path)
                .findFirst();
    }

    /** A path label's entry as a container path: relative to the volume's root, and staying inside it. */
    static String inVolume(String mountPoint, String volume, String path) {
        String label = BackupLabels.VOLUMES + volume + ".path=" + path;
        if (path.startsWith("/")) {
            throw new RecipeCiException(label + ": the path must be relative to the volume's root (backup-bot-two"
                    + " resolves it inside the volume); drop the leading '/'");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new RecipeCiException(label + ": the path must stay inside the volume; '..' leaves it");
            }
        }
        String relative = path.replaceAll("/+$", "");
        return relative.isEmpty() || relative.equals(".")
                ? mountPoint
                : mountPoint.replaceAll("/+$", "") + "/" + relative;
    }

    private static List<Hook> hooks(
            List<Service> services, Map<String, BackupLabels> labels, Function<BackupLabels, Optional<String>> hook) {
        List<Hook> hooks = new ArrayList<>();
        for (Service s : services) {
            hook.apply(labels.get(s.name())).ifPresent(command -> hooks.add(new Hook(s.name(), command)));
        }
        return hooks;
    }

    /** A volume's compose name: its docker name without the stack's prefix. */
    static String volumeName(StackName stack, String dockerName) {
        return dockerName.startsWith(stack + "_")
                ? dockerName.substring(stack.value().length() + 1)
                : dockerName;
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The backupbot labels of one swarm service, read as backup-bot-two's label specification defines them, plus the
 * older {@code backupbot.backup.path}:
 *
 * <ul>
 *   <li>{@code backupbot.backup=true}: back the stack up (only {@code true}, in any case, counts);
 *   <li>{@code backupbot.backup.volumes.<volume>=false}: leave the volume (its compose name) out;
 *   <li>{@code backupbot.backup.volumes.<volume>.path=a,b}: back up only these paths, relative to the volume's root;
 *   <li>{@code backupbot.backup.pre-hook} / {@code post-hook}, {@code backupbot.restore.pre-hook} /
 *       {@code post-hook}: commands run in the service's container around a backup or a restore;
 *   <li>{@code backupbot.backup.path=/a,/b} (backupbot v1): container paths to copy instead of volumes.
 * </ul>
 */
record BackupLabels(
        boolean enabled,
        List<String> legacyPaths,
        Set<String> excludedVolumes,
        Map<String, List<String>> volumePaths,
        Optional<String> backupPreHook,
        Optional<String> backupPostHook,
        Optional<String> restorePreHook,
        Optional<String> restorePostHook) {

    static final String BACKUP = "backupbot.backup";
    static final String VOLUMES = BACKUP + ".volumes.";

    static BackupLabels of(Map<String, String> labels) {
        Set<String> excluded = new LinkedHashSet<>();
        Map<String, List<String>> paths = new LinkedHashMap<>();
        labels.forEach((key, value) -> {
            if (!key.startsWith(VOLUMES)) {
                return;
            }
            String rest = key.substring(VOLUMES.length());
            if (rest.endsWith(".path")) {
                paths.put(rest.substring(0, rest.length() - ".path".length()), split(value));
            } else if ("false".equalsIgnoreCase(value.strip())) {
                excluded.add(rest);
            }
        });
        return new BackupLabels(
                "true".equalsIgnoreCase(labels.getOrDefault(BACKUP, "").strip()),
                Optional.ofNullable(labels.get(BACKUP + ".path"))
                        .map(BackupLabels::split)
                        .orElse(List.of()),
                excluded,
                paths,
                hook(labels, BACKUP + ".pre-hook"),
                hook(labels, BACKUP + ".post-hook"),
                hook(labels, "backupbot.restore.pre-hook"),
                hook(labels, "backupbot.restore.post-hook"));
    }

    private static Optional<String> hook(Map<String, String> labels, String key) {
        return Optional.ofNullable(labels.get(key)).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}

package org.coopcloud.recipeci.internal.lock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which runner a run belongs to: this host and the lock directory its runs lock their apps in. Two runs of one runner
 * see each other's locks, so a free lock of a runner's app proves its run dead; a run of another runner — another
 * lock directory on this host, or another host on the same swarm — locks elsewhere, and nothing here can prove it
 * dead. The value, {@code <host id>:<lock dir>}, labels every object a run creates ({@link Owner}).
 *
 * @param host {@code /etc/machine-id} (systemd's, or dbus's) and the host name, {@code <machine id>-<host name>}
 * @param lockDir the lock directory as an absolute path, symbolic links resolved
 */
public record RunnerId(String host, Path lockDir) {
    private static final List<Path> MACHINE_IDS =
            List.of(Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id"));

    public RunnerId {
        if (host.isBlank() || host.contains(":") || !lockDir.isAbsolute()) {
            throw new IllegalArgumentException("not a runner: " + host + ":" + lockDir);
        }
    }

    /** This host's runner for {@code lockDir}. */
    public static RunnerId of(Path lockDir) {
        return new RunnerId(hostId(), canonical(lockDir));
    }

    /** A runner as its label value names it; empty when the text is no runner. */
    public static Optional<RunnerId> parse(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RunnerId(value.substring(0, colon), Path.of(value.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The label and env value: {@code <host id>:<lock dir>}. */
    public String value() {
        return host + ":" + lockDir;
    }

    @Override
    public String toString() {
        return value();
    }

    static Path canonical(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            return absolute;
        }
    }

    private static String hostId() {
        return hostId(machineId(), hostName());
    }

    /**
     * The machine id and the host name together: hosts cloned from one image share {@code /etc/machine-id}, and two
     * of them on one swarm must not take each other's runs for their own (a janitor would judge the other host's live
     * run by a lock in its own directory, find it free, and reap it). A host renamed between runs becomes another
     * runner, whose apps are left alone — the safe way to be wrong.
     */
    static String hostId(Optional<String> machineId, Optional<String> hostName) {
        String name = hostName.map(n -> n.replaceAll("[^A-Za-z0-9.-]", "-"))
                .filter(n -> !n.isEmpty())
                .orElse("");
        return machineId
                .map(id -> name.isEmpty() ? id : id + "-" + name)
                .orElse(name.isEmpty() ? "unknown-host" : name);
    }

    private static Optional<String> machineId() {
        for (Path file : MACHINE_IDS) {
            try {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (id.matches("[0-9a-fA-F]{16,64}")) {
                    return Optional.of(id.toLowerCase(Locale.ROOT));
                }
            } catch (IOException e) {
                // try the next place
            }
        }
        return Optional.empty();
    }

    private static Optional<String> hostName() {
        try {
            return Optional.of(Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
                    .strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

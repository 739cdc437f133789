package org.coopcloud.recipeci.internal.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A backup of an app, as backupbot's labels define it: for every backed-up service, the copied paths. Stored as
 * plain directories under the run directory ({@code <run>/snapshots/<id>/<service>/<n>}).
 *
 * @param id the snapshot id, recorded in the run's op state
 * @param entries one per copied path
 */
public record Snapshot(String id, Path dir, List<Entry> entries) {
    /** Larger files are not searched for a marker. */
    private static final long MAX_SCANNED = 64L * 1024 * 1024;

    public Snapshot {
        entries = List.copyOf(entries);
    }

    /** One copied path of one service. */
    public record Entry(String service, String path, Path copy) {}

    /**
     * Whether a file of the snapshot holds {@code text} (a marker): as its whole content, or inside it, as a row of a
     * database dump holds it. Markers are fresh random strings, so finding one anywhere is no accident. Symbolic links
     * are never followed: a link the app put in its volume points into the container's filesystem, and read on this
     * host it would read the host's files (or block forever, on {@code /proc/kmsg}).
     */
    public boolean holds(String text) {
        byte[] marker = text.strip().getBytes(StandardCharsets.UTF_8);
        if (marker.length == 0) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .anyMatch(f -> contains(f, marker));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * The copied paths that hold no data, each as "{@code <service>: <path> is an empty file}" (or "an empty
     * directory"): why a snapshot lacks its marker when a backup hook wrote nothing, e.g. an empty database dump.
     */
    public List<String> emptyEntries() {
        return entries.stream()
                .filter(e -> isEmpty(e.copy()))
                .map(e -> e.service() + ": " + e.path() + " is an empty "
                        + (Files.isDirectory(e.copy(), LinkOption.NOFOLLOW_LINKS) ? "directory" : "file"))
                .toList();
    }

    private static boolean isEmpty(Path copy) {
        try {
            if (Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS)) {
                return Files.size(copy) == 0;
            }
            if (Files.isDirectory(copy, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> files = Files.walk(copy)) {
                    return files.noneMatch(f -> !f.equals(copy) && !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS));
                }
            }
            return false;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean contains(Path file, byte[] marker) {
        try {
            if (Files.size(file) > MAX_SCANNED) {
                return false;
            }
            byte[] bytes = Files.readAllBytes(file);
            outer:
            for (int i = 0; i + marker.length <= bytes.length; i++) {
                for (int j = 0; j < marker.length; j++) {
                    if (bytes[i + j] != marker[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}

package org.coopcloud.recipeci.internal.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    public Snapshot {
        entries = List.copyOf(entries);
    }

    /** One copied path of one service. */
    public record Entry(String service, String path, Path copy) {}

    /** Whether any file of the snapshot holds exactly {@code text} (a marker), trailing newline aside. */
    public boolean holds(String text) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.size(f) < 1_000_000
                            && Files.readString(f, StandardCharsets.UTF_8)
                                    .strip()
                                    .equals(text.strip());
                } catch (IOException e) {
                    return false;
                } catch (UncheckedIOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }
}

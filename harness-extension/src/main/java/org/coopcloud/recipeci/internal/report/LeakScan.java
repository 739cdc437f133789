package org.coopcloud.recipeci.internal.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Looks for the run's generated secret values in everything the run reports: reports, logs, evidence, state. (Not
 * the snapshots: they are the app's own data, where its secrets may legitimately live.)
 */
public final class LeakScan {
    private static final List<String> SCANNED = List.of("reports", "logs", "evidence", "state");

    private LeakScan() {}

    /** The files that contain any of {@code secrets}; empty means no leak. */
    public static List<Path> leaks(Path runDir, List<String> secrets) {
        List<Path> leaking = new ArrayList<>();
        if (secrets.isEmpty()) {
            return leaking;
        }
        for (String sub : SCANNED) {
            Path dir = runDir.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(file -> {
                    String text = read(file);
                    if (secrets.stream().anyMatch(text::contains)) {
                        leaking.add(file);
                    }
                });
            } catch (IOException e) {
                leaking.add(dir); // unreadable: cannot claim it is clean
            }
        }
        return leaking;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

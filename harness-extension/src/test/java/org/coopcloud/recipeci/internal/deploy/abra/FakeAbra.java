package org.coopcloud.recipeci.internal.deploy.abra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fake {@code abra} of the test resources ({@code fake-abra/abra}), installed executable in a directory of its
 * own, and what it recorded: one {@link Call} per invocation.
 */
final class FakeAbra {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path bin;
    private final Path log;

    private FakeAbra(Path bin, Path log) {
        this.bin = bin;
        this.log = log;
    }

    /** One recorded invocation: its argv (without the program), working directory, ABRA_DIR (null when unset). */
    record Call(List<String> argv, String cwd, String abraDir, boolean stdinTty) {
        /** The subcommand, e.g. {@code deploy} or {@code backup create} (recipe-ci puts flags after it). */
        String command() {
            boolean group =
                    argv.size() > 2 && List.of("volume", "secret", "backup").contains(argv.get(1));
            return group ? argv.get(1) + " " + argv.get(2) : argv.size() > 1 ? argv.get(1) : "";
        }
    }

    /** Copies the fake (and its replayed outputs) into {@code dir}/bin, executable. */
    static FakeAbra install(Path dir) throws IOException {
        Path source;
        try {
            source = Path.of(FakeAbra.class.getResource("/fake-abra/abra").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path bin = dir.resolve("bin");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = bin.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        bin.resolve("abra").toFile().setExecutable(true);
        return new FakeAbra(bin, dir.resolve("fake-abra-calls.jsonl"));
    }

    /** The environment abra children need to find the fake first and record into {@link #calls()}. */
    Map<String, String> env() {
        return Map.of("PATH", bin + ":" + System.getenv("PATH"), "FAKE_ABRA_LOG", log.toString());
    }

    List<Call> calls() {
        if (!Files.exists(log)) {
            return List.of();
        }
        try {
            List<Call> calls = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                JsonNode node = JSON.readTree(line);
                List<String> argv = new ArrayList<>();
                node.get("argv").forEach(a -> argv.add(a.asText()));
                calls.add(new Call(
                        argv,
                        node.get("cwd").asText(),
                        node.get("abraDir").isNull()
                                ? null
                                : node.get("abraDir").asText(),
                        node.get("stdinTty").asBoolean()));
            }
            return calls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

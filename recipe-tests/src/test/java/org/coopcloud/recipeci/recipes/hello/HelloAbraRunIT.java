package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI entrypoint end to end with {@code -Ddriver=abra}: a child JVM, the fake abra of harness-extension's test
 * resources first on its PATH (it records every call and does the effects with docker), the real swarm, the demo
 * recipe hello. The run must reach what the swarm run reaches, and leave nothing.
 */
class HelloAbraRunIT {
    private static final Path FAKE_ABRA = Path.of("..", "harness-extension", "src", "test", "resources", "fake-abra");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<String> stacks = new ArrayList<>();

    @AfterEach
    void nothingOfTheseRunsIsLeftOnTheSwarm() throws Exception {
        RecipeCiProcess.assertNothingLeftOf(stacks);
    }

    @Test
    void aRunThroughAbraIsGreenAtTheSwarmRunsLevelAndLeavesNothing() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("abra-home/servers/local"))
                .getParent()
                .getParent();
        Path calls = tmp.resolve("abra-calls.jsonl");
        Path runs = tmp.resolve("runs");

        RecipeCiProcess.Outcome outcome = RecipeCiProcess.run(
                runs,
                "it-abra",
                Map.of(
                        "PATH",
                        installFake() + File.pathSeparator + System.getenv("PATH"),
                        "FAKE_ABRA_LOG",
                        calls.toString()),
                "-Drecipe=hello",
                "-Ddriver=abra",
                "-Drecipeci.abra-home=" + home);
        stacks.addAll(outcome.stacks());

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains("driver abra")
                .contains("app created by abra")
                .contains("with abra, in place")
                .contains("restored by abra")
                .contains("teardown clean")
                .contains("GREEN (exit 0)");
        JsonNode results = JSON.readTree(runs.resolve("it-abra/results.json").toFile());
        assertThat(results.path("level").asText())
                .as("hello reaches L3 on the swarm driver")
                .isEqualTo("L3");
        assertThat(results.path("clean_teardown").asBoolean()).isTrue();
        assertThat(results.path("no_secret_leak").asBoolean()).isTrue();

        Path abraDir = runs.resolve("it-abra/abra").toAbsolutePath().normalize();
        List<JsonNode> recorded = new ArrayList<>();
        for (String line : Files.readAllLines(calls)) {
            recorded.add(JSON.readTree(line));
        }
        assertThat(recorded).extracting(c -> c.path("abraDir").asText()).containsOnly(abraDir.toString());
        assertThat(recorded)
                .extracting(c -> c.path("argv").get(1).asText())
                .contains("new", "deploy", "restore", "undeploy", "remove");
        assertThat(abraDir.resolve("recipes/hello/compose.yml"))
                .as("the run's checkout, where abra reads it")
                .exists();
        try (Stream<Path> left = Files.list(home.resolve("servers/local"))) {
            assertThat(left).as("env files left in the canonical abra dir").isEmpty();
        }
    }

    @Test
    void withoutAbraOnThePathTheRunStopsWithOneConfigurationErrorBeforeAnythingIsCreated() throws Exception {
        assumeTrue(
                Stream.of(System.getenv("PATH").split(File.pathSeparator))
                        .noneMatch(dir -> Files.isExecutable(Path.of(dir, "abra"))),
                "a real abra is installed on this host");
        Files.createDirectories(tmp.resolve("abra-home/servers/local"));

        RecipeCiProcess.Outcome outcome = RecipeCiProcess.run(
                tmp.resolve("runs"),
                "it-no-abra",
                "-Drecipe=hello",
                "-Ddriver=abra",
                "-Drecipeci.abra-home=" + tmp.resolve("abra-home"));

        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output())
                .contains("configuration error")
                .contains("needs the abra CLI on PATH")
                .doesNotContain("deploying")
                .doesNotContain("\tat ");
    }

    /** The fake abra and its replayed outputs, copied into a bin directory of the test's own, executable. */
    private Path installFake() throws IOException {
        assertThat(FAKE_ABRA.resolve("abra"))
                .as("the fake abra (run from the recipe-tests module)")
                .exists();
        Path bin = tmp.resolve("bin");
        try (Stream<Path> files = Files.walk(FAKE_ABRA)) {
            for (Path file : files.toList()) {
                Path target = bin.resolve(FAKE_ABRA.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        assertThat(bin.resolve("abra").toFile().setExecutable(true)).isTrue();
        return bin;
    }
}

package org.coopcloud.recipeci.internal.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code recipe-ci} step of {@code .drone.yml}, run the way Drone's exec runner runs it, with {@code ./mvnw} a
 * stand-in that records what it was given. What the runner does (drone-runner-exec {@code runtime/runner.go},
 * {@code engine/compiler}, {@code engine/exec.go}; drone/runner-go {@code shell}; drone/envsubst):
 *
 * <ul>
 *   <li>it runs envsubst over the whole file, with the build parameters and {@code DRONE_*} values;
 *   <li>it writes the step's commands into one script — {@code set -e}, then per command {@code echo + "<the command,
 *       Go-quoted, $ escaped>"} and the command — and runs {@code /bin/sh -e <script>} in the workspace;
 *   <li>the environment is the runner's own {@code DRONE_RUNNER_ENVIRON}, the build parameters, {@code PATH} and
 *       {@code USER} of the host, the {@code DRONE_*} values, then the step's {@code environment}, then its
 *       secrets (empty when the secret is not configured);
 *   <li>a cancel, and the repository's timeout, is {@code cmd.Process.Kill()}: SIGKILL to the script's process.
 * </ul>
 */
class DronePipelineIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DRONE_YML = REPO.resolve(".drone.yml");
    private static final String BUILD = "41";

    /** Records argv and environment, writes the run's exit code where the harness would, exits as Maven would. */
    private static final String MAVEN_STAND_IN =
            """
            #!/bin/sh
            printf '%s\\n' "$@" > "$STUB_DIR/argv"
            env > "$STUB_DIR/env"
            runs=; id=
            for a in "$@"; do
              case $a in
                -Drecipeci.runs-dir=*) runs=${a#*=} ;;
                -Drecipeci.run-id=*) id=${a#*=} ;;
              esac
            done
            mkdir -p "$runs/$id" && echo "$STUB_CODE" > "$runs/$id/exit-code"
            if [ "$STUB_HOLD" = 1 ]; then
              trap 'echo TERM > "$STUB_DIR/got-term"; exit 143' TERM
              echo held > "$STUB_DIR/held"
              i=0; while [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
            fi
            [ "$STUB_CODE" = 0 ]
            """;

    @TempDir
    Path dir;

    private Path workspace;
    private Path stub;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void workspace() throws IOException {
        workspace = Files.createDirectories(dir.resolve("drone/src"));
        stub = Files.createDirectories(dir.resolve("stub"));
        Files.createDirectories(workspace.resolve("scripts"));
        Files.copy(REPO.resolve("scripts/ci-step"), workspace.resolve("scripts/ci-step"));
        Files.writeString(workspace.resolve("mvnw"), MAVEN_STAND_IN, UTF_8);
        for (Path exe : List.of(workspace.resolve("scripts/ci-step"), workspace.resolve("mvnw"))) {
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @AfterEach
    void reap() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void droneSubstitutionLeavesTheFileAsWritten() throws IOException {
        // Anything else passes drone/envsubst unchanged; these do not (and "${" outside a valid expression fails every
        // pipeline of the file with "bad substitution").
        List<String> lines = Files.readAllLines(DRONE_YML, UTF_8);
        List<String> rewritten = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String seq : List.of("${", "$$", "\\\\", "\\/")) {
                if (lines.get(i).contains(seq)) {
                    rewritten.add(".drone.yml:" + (i + 1) + ": '" + seq + "' in: "
                            + lines.get(i).strip());
                }
            }
        }
        assertThat(rewritten)
                .as("sequences Drone's substitution rewrites: write $VAR, not ${VAR}, and avoid backslashes")
                .isEmpty();
    }

    @Test
    void thePipelinesAndTheirTriggers() throws IOException {
        Map<String, JsonNode> pipelines = pipelines();

        assertThat(pipelines).containsOnlyKeys("recipe-ci", "self-test");
        assertThat(pipelines.get("recipe-ci").path("type").asText()).isEqualTo("exec");
        assertThat(pipelines.get("recipe-ci").path("trigger").path("event").toString())
                .isEqualTo("[\"custom\"]");
        assertThat(pipelines.get("self-test").path("trigger").path("event").toString())
                .isEqualTo("[\"push\"]");
        // The runner's trace is `echo + "<command>"`: Go's quoting leaves a backtick alone, so the trace would run it.
        assertThat(commands()).noneMatch(c -> c.contains("`"));
    }

    @Test
    void greenRunExitsZeroAndHandsTheParametersToMaven() throws Exception {
        Run run = run(Map.of("RECIPE", "hello", "REF", "refs/pull/12/head", "SRC", "https://git.example.org/f/h.git"));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(argv())
                .containsExactly(
                        "-B",
                        "verify",
                        "-Drecipe=hello",
                        "-Drecipeci.ref=refs/pull/12/head",
                        "-Dstages=",
                        "-Drecipeci.pr=",
                        "-Drecipeci.src=https://git.example.org/f/h.git",
                        "-Drecipeci.run-id=" + BUILD,
                        "-Drecipeci.runs-dir=" + workspace.resolve("recipe-tests/target/recipe-ci-runs"));
        assertThat(run.output())
                .as("the runner's trace shows each command unexpanded")
                .contains("+ test -n \"$RECIPE\"")
                .contains("ci-step: exit 0");
    }

    @Test
    void redRunExitsWithTheRunsOwnCode() throws Exception {
        // Maven exits 1 for any failure; the harness's exit-code file says which (here: a configuration error).
        Run run = run(Map.of("RECIPE", "hello", "STUB_CODE", "2"));

        assertThat(run.exit()).as(run.output()).isEqualTo(2);
    }

    @Test
    void withoutRecipeTheStepStopsBeforeMaven() throws Exception {
        Run run = run(Map.of());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("recipe-ci: set the RECIPE build parameter");
        assertThat(stub.resolve("argv")).doesNotExist();
    }

    @ParameterizedTest(name = "QUICK={0} CCCI_QUICK={1} STAGES={2} -> {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "1     | -    | backup         | install,upgrade,custom",
                "-     | 1    | -              | install,upgrade,custom",
                "yes   | 0    | -              | install,upgrade,custom",
                "0     | 0    | install        | install",
                "false | -    | -              | ''",
                "-     | -    | install,custom | install,custom",
            })
    void quickReplacesTheStages(String quick, String ccciQuick, String stages, String expected) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("RECIPE", "hello"));
        putIfPresent(params, "QUICK", quick);
        putIfPresent(params, "CCCI_QUICK", ccciQuick);
        putIfPresent(params, "STAGES", stages);

        Run run = run(params);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(argv()).contains("-Dstages=" + expected);
    }

    @ParameterizedTest(name = "PR={0} token={1} -> reporting {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "12 | a-token-of-twenty-chars-or-more | true",
                "12 | ''                              | false",
                "-  | a-token-of-twenty-chars-or-more | false",
                "0  | a-token-of-twenty-chars-or-more | false",
            })
    void reportsOnlyWithAPullRequestAndAToken(String pr, String token, boolean reports) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("RECIPE", "hello"));
        putIfPresent(params, "PR", pr);
        // A build parameter cannot point the reporter (and its token) at another server, commit or repository.
        params.put("RECIPECI_GITEA_URL", "https://elsewhere.example");
        params.put("RECIPECI_GITEA_SHA", "0123456789abcdef0123456789abcdef01234567");
        params.put("RECIPECI_GITEA_REPO", "someone/else");

        Run run = run(params, Map.of("RECIPECI_GITEA_TOKEN", token));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(mavenEnv())
                .noneMatch(l -> l.startsWith("RECIPECI_GITEA_SHA=") || l.startsWith("RECIPECI_GITEA_REPO="));
        assertThat(run.output()).contains("ignoring RECIPECI_GITEA_SHA").contains("ignoring RECIPECI_GITEA_REPO");
        if (reports) {
            assertThat(mavenEnv()).contains("RECIPECI_GITEA_URL=https://git.coopcloud.tech");
        } else {
            assertThat(mavenEnv()).noneMatch(l -> l.startsWith("RECIPECI_GITEA_URL="));
            assertThat(run.output()).contains("not reporting");
        }
    }

    @Test
    void credentialsInSrcStayOutOfTheLog() throws Exception {
        Run run = run(Map.of("RECIPE", "hello", "SRC", "https://user:s3cr3t@git.example.org/f/h.git"));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("s3cr3t").contains("SRC=https://***@git.example.org/f/h.git");
    }

    @Test
    void runsDirOfTheHostIsWhereMavenWritesAndWhereTheExitCodeIsRead() throws Exception {
        Path runs = dir.resolve("var/lib/recipe-ci-runs");
        Map<String, String> runnerEnviron = Map.of("RECIPECI_RUNS_DIR", runs.toString());

        Run run = run(Map.of("RECIPE", "hello", "STUB_CODE", "142"), Map.of(), runnerEnviron);

        assertThat(run.exit()).as(run.output()).isEqualTo(142);
        assertThat(argv()).contains("-Drecipeci.runs-dir=" + runs);
        assertThat(runs.resolve(BUILD + "/exit-code")).hasContent("142");
    }

    @Test
    void droneCancelStopsMaven() throws Exception {
        Run run = start(Map.of("RECIPE", "hello", "STUB_HOLD", "1"), Map.of(), Map.of());
        awaitFile(stub.resolve("held"), run);

        run.process().destroyForcibly(); // cmd.Process.Kill(): the step's process, which `exec` made the wrapper

        assertThat(run.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        awaitFile(stub.resolve("got-term"), run);
    }

    // ---- the runner

    private record Run(Process process, Path log) {
        int exit() throws InterruptedException {
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("the step ended")
                    .isTrue();
            return process.exitValue();
        }

        String output() {
            try {
                return Files.readString(log, UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Run run(Map<String, String> params) throws Exception {
        return run(params, Map.of());
    }

    private Run run(Map<String, String> params, Map<String, String> secrets) throws Exception {
        return run(params, secrets, Map.of());
    }

    private Run run(Map<String, String> params, Map<String, String> secrets, Map<String, String> runnerEnviron)
            throws Exception {
        Run run = start(params, secrets, runnerEnviron);
        run.exit();
        return run;
    }

    /** The recipe-ci step as the exec runner starts it; STUB_* parameters steer the Maven stand-in. */
    private Run start(Map<String, String> params, Map<String, String> secrets, Map<String, String> runnerEnviron)
            throws Exception {
        JsonNode step = pipelines().get("recipe-ci").path("steps").get(0);
        Path script = dir.resolve("opt/recipe-ci");
        Files.createDirectories(script.getParent());
        Files.writeString(script, script(commands()), UTF_8);

        Path log = dir.resolve("step-" + started.size() + ".log");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-e", script.toString())
                .directory(workspace.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(log.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(runnerEnviron);
        env.putAll(Map.of("STUB_DIR", stub.toString(), "STUB_CODE", "0"));
        env.putAll(params);
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", dir.resolve("home/drone").toString());
        env.put("DRONE_BUILD_NUMBER", BUILD);
        env.put("DRONE_BUILD_LINK", "https://drone.example/coop-cloud/recipe-ci/" + BUILD);
        step.path("environment").fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                env.put(e.getKey(), e.getValue().asText());
            } else {
                env.put(e.getKey(), secrets.getOrDefault(e.getKey(), "")); // from_secret; empty when not configured
            }
        });
        Process process = builder.start();
        started.add(process);
        return new Run(process, log);
    }

    /** drone/runner-go's shell script for a step's commands. */
    private static String script(List<String> commands) {
        StringBuilder script = new StringBuilder("\nset -e\n\n");
        for (String command : commands) {
            script.append("\necho + ")
                    .append(goQuote(command).replace("$", "\\$"))
                    .append('\n')
                    .append(command)
                    .append('\n');
        }
        return script.toString();
    }

    /** Go's {@code %q} for the characters a command can hold. */
    private static String goQuote(String s) {
        StringBuilder q = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        q.append(String.format("\\x%02x", c));
                    } else {
                        q.appendCodePoint(c);
                    }
                }
            }
        });
        return q.append('"').toString();
    }

    private static Map<String, JsonNode> pipelines() throws IOException {
        Map<String, JsonNode> pipelines = new HashMap<>();
        try (var docs = new ObjectMapper(new YAMLFactory())
                .readerFor(JsonNode.class)
                .<JsonNode>readValues(DRONE_YML.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.has("name")) {
                    pipelines.put(doc.get("name").asText(), doc);
                }
            }
        }
        return pipelines;
    }

    /** The step's commands; each must be a YAML string (Drone's manifest has them as {@code []string}). */
    private static List<String> commands() throws IOException {
        List<String> commands = new ArrayList<>();
        for (JsonNode command :
                pipelines().get("recipe-ci").path("steps").get(0).path("commands")) {
            assertThat(command.isTextual())
                    .as(
                            "a command that YAML reads as %s, not a string (quote a command holding ': '): %s",
                            command.getNodeType(), command)
                    .isTrue();
            commands.add(command.asText());
        }
        assertThat(commands).as("commands of the recipe-ci step").isNotEmpty();
        return commands;
    }

    private List<String> argv() throws IOException {
        return Files.readAllLines(stub.resolve("argv"), UTF_8);
    }

    private List<String> mavenEnv() throws IOException {
        return Files.readAllLines(stub.resolve("env"), UTF_8);
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void awaitFile(Path file, Run run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file)) {
            assertThat(System.nanoTime())
                    .as("%s never appeared:\n%s", file.getFileName(), run.output())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}

package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.coopcloud.recipeci.internal.testsupport.Git;
import org.coopcloud.recipeci.launcher.RecipeCi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's own reason for a failed deploy, wherever a run reports it: the entrypoint in a child JVM deploys, on the
 * real swarm, a recipe whose branches fail three ways — a missing external network (docker refuses the stack, after
 * its --detach notice), an image that does not exist locally (swarm rejects the task), a task whose command exits 1
 * — and the console, summary.md, results.json and the evidence all say why. Runs have a domain suffix and lock dir
 * of their own, so their janitor never sees another run's apps.
 */
class DeployFailureReasonsIT {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
    private static final String SUFFIX = "envf-it.recipe-ci.test";
    private static final String HELLO = "recipe-ci.local/hello:2.1";
    private static final String SLEEP = "[\"sleep\", \"60\"]";

    @TempDir
    Path home;

    private final String missingNetwork =
            "envf-missing-" + UUID.randomUUID().toString().substring(0, 8);
    private final String missingImage =
            "recipe-ci.local/envf-none:" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void aRecipeThatFailsThreeWays() throws Exception {
        Path repo = Files.createDirectories(home.resolve("recipes").resolve("envf"));
        Files.writeString(repo.resolve(".env.sample"), "TYPE=envf\nDOMAIN=envf.example.com\n");
        Git.run(repo, "init", "-q", "-b", "main");
        branch(
                repo,
                "main",
                HELLO,
                SLEEP,
                "    networks: [proxy, gone]",
                "  gone:\n    external: true\n    name: " + missingNetwork);
        branch(repo, "missing-image", missingImage, SLEEP, "    networks: [proxy]", "");
        branch(
                repo,
                "failing-task",
                HELLO,
                "[\"sh\", \"-c\", \"echo envf-task-says-goodbye; exit 1\"]",
                "    networks: [proxy]",
                "");
        // Fails at once on its first start; on every later one it serves for 2 s, then fails: a crash loop that
        // answers between its crashes.
        branch(
                repo,
                "serves-between-crashes",
                HELLO,
                "[\"sh\", \"-c\", \"if [ -e /state/started ]; then httpd -p 8080 -h /www; sleep 2;"
                        + " echo envf-crashes-again; exit 1; fi; touch /state/started; exit 1\"]",
                "    networks: [proxy]\n    volumes: [\"state:/state\"]",
                "volumes:\n  state:",
                "{condition: any, delay: 1s}");
    }

    @AfterEach
    void stop() throws Exception {
        for (ChildJvm child : children) {
            child.close();
        }
    }

    /**
     * On {@code name} (a new branch off main, unless it is main), a compose.yml of one service, routed the way a real
     * recipe is (the {@code proxy} network, Traefik labels) so that it gets as far as docker.
     */
    private static void branch(
            Path repo, String name, String image, String command, String serviceLines, String topLevel)
            throws Exception {
        branch(repo, name, image, command, serviceLines, topLevel, "{condition: none}");
    }

    private static void branch(
            Path repo,
            String name,
            String image,
            String command,
            String serviceLines,
            String topLevel,
            String restartPolicy)
            throws Exception {
        if (!name.equals("main")) {
            Git.run(repo, "checkout", "-q", "-b", name, "main");
        }
        Files.writeString(repo.resolve("compose.yml"), compose(image, command, serviceLines, topLevel, restartPolicy));
        commit(repo, name);
        Git.run(repo, "checkout", "-q", "main");
    }

    private static String compose(
            String image, String command, String serviceLines, String topLevel, String restartPolicy) {
        return String.join(
                "\n",
                "version: \"3.8\"",
                "services:",
                "  app:",
                "    image: " + image,
                "    command: " + command,
                "    init: true",
                serviceLines,
                "    deploy:",
                "      restart_policy: " + restartPolicy,
                "      labels:",
                "        - traefik.enable=true",
                "        - traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)",
                "        - traefik.http.services.${STACK_NAME}.loadbalancer.server.port=8080",
                "networks:",
                "  proxy:",
                "    external: true",
                topLevel,
                "");
    }

    private static void commit(Path repo, String message) throws Exception {
        Git.run(repo, "add", ".");
        Git.run(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", message);
    }

    private ChildJvm run(String runId, String ref) throws Exception {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                ChildJvm.classpath(),
                "-Drecipe=envf",
                "-Dstages=install",
                "-Drecipeci.ref=" + ref,
                "-Drecipeci.home=" + home,
                "-Drecipeci.runs-dir=" + home.resolve("runs"),
                "-Drecipeci.lock-dir=" + Files.createDirectories(home.resolve("locks")),
                "-Drecipeci.domain-suffix=" + SUFFIX,
                "-Drecipeci.run-id=" + runId,
                "-Drecipeci.pr=envf" + ProcessHandle.current().pid(),
                RecipeCi.class.getName()));
        ChildJvm child = ChildJvm.start(Map.of(), argv);
        children.add(child);
        int exit = child.awaitExit(RUN_LIMIT);
        System.out.println(child.output());
        assertThat(exit).as(child.output()).isEqualTo(1);
        assertThat(child.output()).contains("teardown clean");
        // A deploy refused in milliseconds tears down while the edge's docker run is still in flight: the teardown's
        // TERM to running commands reaches it, docker kills the new edge, and its removal is under way already.
        assertThat(child.output()).doesNotContain("teardown step 'bridge' failed");
        return child;
    }

    private String summary(String runId) throws Exception {
        return Files.readString(home.resolve("runs").resolve(runId).resolve("summary.md"));
    }

    private JsonNode results(String runId) throws Exception {
        return new ObjectMapper()
                .readTree(home.resolve("runs")
                        .resolve(runId)
                        .resolve("results.json")
                        .toFile());
    }

    private String evidence(String runId) throws Exception {
        return Files.readString(home.resolve("runs").resolve(runId).resolve("evidence/failure.txt"));
    }

    @Test
    void aMissingExternalNetworkIsNamedOnTheConsoleAndInTheSummary() throws Exception {
        ChildJvm run = run("net", "main");
        String reason = "network \"" + missingNetwork + "\" is declared as external, but could not be found";

        assertThat(run.output())
                .containsPattern("FAIL .*" + java.util.regex.Pattern.quote(reason))
                .containsPattern("  x .*" + java.util.regex.Pattern.quote(reason))
                .doesNotContain("--detach");
        assertThat(summary("net"))
                .contains("| L1 | install | ❌ fail |")
                .contains(reason)
                .doesNotContain("--detach");
        assertThat(results("net").path("cap_reason").asText()).contains(reason);
        assertThat(results("net").path("rungs").get(0).path("reason").asText()).contains(reason);
        assertThat(evidence("net")).contains(reason);
    }

    @Test
    void anImageThatDoesNotExistIsNamedOnTheConsoleAndInTheSummary() throws Exception {
        ChildJvm run = run("image", "missing-image");

        assertThat(run.output())
                .containsPattern("FAIL .*No such image: " + java.util.regex.Pattern.quote(missingImage));
        assertThat(summary("image")).contains("No such image: " + missingImage);
        assertThat(results("image").path("cap_reason").asText()).contains("No such image");
        assertThat(evidence("image")).contains("No such image");
    }

    @Test
    void aFailingTaskIsNamedWithItsLastLogLinesInTheSummary() throws Exception {
        ChildJvm run = run("task", "failing-task");

        assertThat(run.output()).containsPattern("FAIL .*non-zero exit \\(1\\)");
        assertThat(summary("task"))
                .contains("non-zero exit (1)")
                .contains("<details>")
                .contains("envf-task-says-goodbye");
        JsonNode install = results("task").path("rungs").get(0);
        assertThat(install.path("reason").asText()).contains("non-zero exit (1)");
        assertThat(install.path("detail").asText()).contains("envf-task-says-goodbye");
        assertThat(evidence("task")).contains("envf-task-says-goodbye");
    }

    @Test
    void aCrashLoopThatAnswersBetweenItsCrashes_failsTheDeploy_notTheFirstTier() throws Exception {
        ChildJvm run = run("loop", "serves-between-crashes");

        assertThat(run.output())
                .contains("swarm restarts it")
                .contains("staying up after a task failure swarm restarted")
                .containsPattern("FAIL .*non-zero exit \\(1\\).*failed before in the same slot");
        assertThat(results("loop").path("rungs").get(0).path("detail").asText()).contains("envf-crashes-again");
    }
}

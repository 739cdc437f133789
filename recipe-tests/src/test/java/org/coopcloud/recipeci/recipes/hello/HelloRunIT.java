package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI entrypoint end to end: a child JVM, the real swarm, the demo recipe hello. */
class HelloRunIT {
    @TempDir
    Path runs;

    private final List<String> stacks = new java.util.ArrayList<>();

    @AfterEach
    void nothingOfTheseRunsIsLeftOnTheSwarm() throws Exception {
        RecipeCiProcess.assertNothingLeftOf(stacks);
    }

    private RecipeCiProcess.Outcome run(String runId, String... properties) throws Exception {
        RecipeCiProcess.Outcome outcome = RecipeCiProcess.run(runs, runId, properties);
        stacks.addAll(outcome.stacks());
        return outcome;
    }

    @Test
    void greenRunExitsZeroWithPassingInstallTestsInTheXmlReport() throws Exception {
        Path archive = runs.resolve("class-data").resolve("run.jsa");
        RecipeCiProcess.Outcome outcome = run("it-green", "-Drecipe=hello", "-Drecipeci.class-data-archive=" + archive);

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains("GREEN (exit 0)")
                .contains("teardown clean")
                .contains("services running")
                .contains("ready at /health: ok: HTTP 200")
                .as("HTTP goes through the bridge into the proxy network, by the app's domain")
                .containsPattern(
                        "bridge open in \\d+ ms \\(127\\.0\\.0\\.1:\\d+ → tasks\\.hell-[0-9a-f]{6}_[a-z0-9_-]+_app:8080")
                .containsPattern(
                        "deployed and healthy at http://127\\.0\\.0\\.1:\\d+ \\(router \\S+, Host hell-[0-9a-f]{6}\\.")
                .as("a green run of a sound recipe raises no alarm (JUnit's INFO notes on this module's ITs included)")
                .doesNotContain("[recipe-ci] !!");
        String xml = Files.readString(runs.resolve("it-green/reports/TEST-junit-jupiter.xml"));
        assertThat(count(xml, "<testcase ")).isGreaterThanOrEqualTo(3);
        assertThat(attribute(xml, "failures")).isZero();
        assertThat(attribute(xml, "errors")).isZero();
        assertThat(runs.resolve("it-green/reports/open-test-report.xml")).exists();
        assertThat(runs.resolve("it-green/logs/run.log")).content().contains("deployed and healthy");
        assertThat(runs.resolve("it-green/logs/commands.log"))
                .as("docker's objects are read through the Engine API: no listing or inspect starts a docker process")
                .content()
                .contains("$ docker stack deploy")
                .doesNotContainPattern("\\$ docker (stack (ls|ps|services)|ps |inspect |network ls"
                        + "|(service|volume|secret|config|container) (ls|ps|inspect))");
        assertThat(runs.resolve("it-green/logs/run.log"))
                .as("no engine call failed over to the CLI")
                .content()
                .doesNotContain("the docker CLI answers instead");
        assertThat(runs.resolve("it-green/logs/run.log"))
                .as("the entrypoint made the run's plan while JUnit discovered the tiers")
                .content()
                .contains("checkout, compose check and lint made while JUnit discovered the tiers");
        assertThat(count(Files.readString(runs.resolve("it-green/logs/commands.log")), " clone "))
                .as("one checkout: the plan made ahead is the one the deploy took")
                .isEqualTo(1);
        assertThat(runs.resolve("it-green/exit-code")).hasContent("0");
        assertThat(runs.resolve("it-green/logs/run.log"))
                .as("a green run that had no class-data archive writes it once its result is written")
                .content()
                .contains("class-data archive " + archive + ": missing — a green run writes it when it ends")
                .contains("class-data archive written in");
        assertThat(archive).isNotEmptyFile();
        assertThat(Files.getLastModifiedTime(archive))
                .as("after the run's result")
                .isGreaterThan(Files.getLastModifiedTime(runs.resolve("it-green/exit-code")));
    }

    @Test
    void aRequestedOlderReleaseIsWhatGetsDeployed() throws Exception {
        RecipeCiProcess.Outcome outcome = run(
                "it-release",
                "-Drecipe=hello",
                "-Drecipeci.version=1.0.0+2.0",
                "-Dstages=install",
                "-Drecipeci.it.tcp-ready=true");

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("version 1.0.0+2.0").contains("hello at 1.0.0+2.0");
        assertThat(outcome.output())
                .as("the TCP probe through the real bridge: three connections the app's task held open")
                .containsPattern("ready on TCP: ok: TCP \\d+ accepts, stable 3");
        String xml = Files.readString(runs.resolve("it-release/reports/TEST-junit-jupiter.xml"));
        assertThat(xml).contains("deployedVersionIsRequested").contains("frontPageShowsUpstreamVersion");
        assertThat(attribute(xml, "failures") + attribute(xml, "errors")).isZero();
    }

    @Test
    void aServiceThatCannotStartIsRedWithTheTaskErrorInTheReport() throws Exception {
        RecipeCiProcess.Outcome outcome = run("it-broken", "-Drecipe=hello", "-Drecipeci.ref=broken-start");

        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output()).contains("RED (exit 1)").contains("teardown clean");
        assertThat(runs.resolve("it-broken/exit-code")).hasContent("1");
        String xml = Files.readString(runs.resolve("it-broken/reports/TEST-junit-jupiter.xml"));
        assertThat(xml).contains("non-zero exit (127)").contains("hello-daemon");
        assertThat(attribute(xml, "errors") + attribute(xml, "failures")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aKeptFailedAppHasItsEvidence_andTheNextRunsJanitorReapsIt() throws Exception {
        // A lock directory and a domain suffix of their own: no other test's janitor judges the kept app first.
        Path lockDir = Files.createDirectories(runs.resolve("keep-locks"));
        String own = "-Drecipeci.lock-dir=" + lockDir;
        String suffix = "-Drecipeci.domain-suffix=keep.recipe-ci.test";

        RecipeCiProcess.Outcome kept = run(
                "it-kept",
                "-Drecipe=hello",
                "-Drecipeci.ref=broken-start",
                "-Drecipeci.keep-on-failure=true",
                own,
                suffix);
        List<String> onTheSwarm = docker("stack", "ls", "--format", "{{.Name}}");
        Path tasks = runs.resolve("it-kept/evidence/tasks.txt");
        String evidence = Files.exists(tasks) ? Files.readString(tasks) : "(no evidence/tasks.txt)";

        // The next run on this runner stops right after its janitor (its compose does not parse); run before the
        // assertions, so that a failed one leaves nothing behind either.
        RecipeCiProcess.Outcome next = run(
                "it-after-kept",
                "-Drecipe=hello",
                "-Drecipeci.ref=broken-compose",
                "-Drecipeci.pr=keepreaper" + ProcessHandle.current().pid(),
                own,
                suffix);

        // Its lock directory goes with this test's temporary directory: no later janitor could reap what is left.
        for (String stack : kept.stacks()) {
            removeByHand(stack);
        }

        assertThat(kept.exitCode()).as(kept.output()).isEqualTo(1);
        assertThat(kept.output()).contains("kept for debugging").doesNotContain("tearing down");
        assertThat(kept.stacks()).singleElement().isIn(onTheSwarm);
        assertThat(evidence).as("the kept app's task table").contains("non-zero exit (127)");
        Matcher domain = Pattern.compile("(hell-[0-9a-f]{6}\\.keep\\.recipe-ci\\.test): kept for debugging")
                .matcher(kept.output());
        assertThat(domain.find()).as(kept.output()).isTrue();
        assertThat(next.exitCode()).as(next.output()).isEqualTo(2);
        assertThat(next.output())
                .contains("janitor: " + domain.group(1) + " has no live run (its lock was free) — reaping the orphan");
    }

    @Test
    void aComposeFileThatDoesNotParseIsAConfigurationError() throws Exception {
        RecipeCiProcess.Outcome outcome = run("it-compose", "-Drecipe=hello", "-Drecipeci.ref=broken-compose");

        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output()).contains("do not parse").contains("nothing was created");
    }

    @Test
    void badInputExitsTwoWithAMessageThatSaysWhatToFix() throws Exception {
        assertBadInput("-Drecipe=Hello", "is not a valid recipe name", "'hello'");
        assertBadInput("-Drecipe=no-such-recipe", "is not in the catalogue", "known: ");
        assertBadInput("-Drecipe=hello -Drecipeci.version=9.9.9+1", "has no version '9.9.9+1'", "1.1.0+2.1");
        assertBadInput("-Drecipe=hello -Drecipeci.version=latest", "is not a recipe version", "1.1.0+2.1");
        assertBadInput("-Drecipe=hello -Dstages=install,deploy", "'deploy' is not a stage", "install");
        assertBadInput("", "no recipe given", "-Drecipe=NAME");
    }

    private void assertBadInput(String properties, String... expected) throws Exception {
        String[] props = properties.isBlank() ? new String[0] : properties.split(" ");
        RecipeCiProcess.Outcome outcome = run("it-bad", props);
        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output()).contains("configuration error").contains(expected);
        assertThat(outcome.output()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    private static int attribute(String xml, String name) {
        Matcher m =
                Pattern.compile("<testsuite [^>]*\\b" + name + "=\"(\\d+)\"").matcher(xml);
        assertThat(m.find()).as("testsuite attribute " + name).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Removes what a run left of {@code stack} (nothing, when its reaping worked): a failed test leaks nothing. */
    private static void removeByHand(String stack) throws IOException, InterruptedException {
        if (!docker("stack", "ls", "--format", "{{.Name}}").contains(stack)) {
            return;
        }
        docker("stack", "rm", stack);
        for (int i = 0;
                i < 60
                        && !docker(
                                        "container",
                                        "ls",
                                        "--all",
                                        "--filter",
                                        "label=com.docker.stack.namespace=" + stack,
                                        "--format",
                                        "{{.Names}}")
                                .isEmpty();
                i++) {
            Thread.sleep(500);
        }
        String edge = "recipe-ci-edge-" + stack;
        if (docker("container", "ls", "--all", "--format", "{{.Names}}").contains(edge)) {
            docker("container", "rm", "--force", edge);
        }
        for (String kind : List.of("volume", "secret", "config")) {
            for (String name : docker(kind, "ls", "--format", "{{.Name}}")) {
                if (name.startsWith(stack + "_")) {
                    docker(kind, "rm", name);
                }
            }
        }
        String domain = stack.replace('_', '.');
        Files.deleteIfExists(
                Path.of(System.getProperty("user.home"), ".recipe-ci", "servers", "local", domain + ".env"));
    }

    static List<String> docker(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}

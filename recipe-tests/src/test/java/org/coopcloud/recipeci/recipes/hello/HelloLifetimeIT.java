package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run of hello, stopped mid-tier: by SIGTERM (it tears itself down, exit 143) and by SIGKILL (the next run's
 * janitor reaps what it left).
 *
 * <p>The runs use a lock directory of their own: the other classes' runs, side by side with these, judge their apps
 * as another runner's and leave the SIGKILLed one for this class's next run to reap.
 */
class HelloLifetimeIT {
    @TempDir
    Path runs;

    @TempDir
    Path locks;

    private Process run;
    private CompletableFuture<Void> reader;

    private final List<String> stacks = new java.util.ArrayList<>();

    @AfterEach
    void nothingOfTheseRunsIsLeft() throws Exception {
        if (run != null) {
            run.destroyForcibly();
            run.waitFor(30, TimeUnit.SECONDS);
        }
        // The runs' edge directories are under their own lock directory.
        RecipeCiProcess.assertNothingLeftOf(stacks, locks.resolve(FrontDoorSettings.EDGE_DIR));
    }

    @Test
    void sigtermMidTierTearsDownAndExits143() throws Exception {
        StringBuilder output = new StringBuilder();
        run = startHolding("it-term", output);
        String domain = awaitHolding(output);
        stacks.add(domain.replace('.', '_'));
        assertThat(lslocks())
                .as("lslocks shows the harness JVM holding the app's flock")
                .anyMatch(l -> l.matches("\\s*" + run.pid() + "\\s+FLOCK\\s+.*cc-ci-app-"
                        + java.util.regex.Pattern.quote(domain) + "\\.lock"));

        // Not Process.destroy(): it also closes our end of the child's stdout, and the teardown lines would be lost.
        new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();
        assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
        reader.get(30, TimeUnit.SECONDS);

        assertThat(run.exitValue()).as(output.toString()).isEqualTo(143);
        assertThat(output.toString())
                .contains("SIGTERM received")
                .contains(domain + ": teardown clean")
                .contains("CANCELLED");
        assertThat(locks.resolve("cc-ci-app-" + domain + ".lock")).doesNotExist();
    }

    @Test
    void sigkillMidTierLeavesAnOrphanThatTheNextRunsJanitorReaps() throws Exception {
        StringBuilder output = new StringBuilder();
        run = startHolding("it-kill", output);
        String domain = awaitHolding(output);
        stacks.add(domain.replace('.', '_'));

        run.destroyForcibly(); // SIGKILL: no teardown at all
        assertThat(run.waitFor(1, TimeUnit.MINUTES)).isTrue();
        String stack = domain.replace('.', '_');
        assertThat(HelloRunIT.docker("stack", "ls", "--format", "{{.Name}}"))
                .as("the orphan")
                .contains(stack);

        RecipeCiProcess.Outcome next = RecipeCiProcess.run(
                runs, "it-after-kill", "-Drecipe=hello", "-Dstages=install", "-Drecipeci.lock-dir=" + locks);

        assertThat(next.exitCode()).as(next.output()).isZero();
        assertThat(next.output())
                .contains("janitor: " + domain + " has no live run (its lock was free) — reaping the orphan");
    }

    private static List<String> lslocks() throws Exception {
        Process p = new ProcessBuilder("lslocks", "--noheadings", "--output", "PID,TYPE,PATH").start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        p.waitFor(30, TimeUnit.SECONDS);
        return lines;
    }

    private Process startHolding(String runId, StringBuilder output) throws Exception {
        Process process = new ProcessBuilder(RecipeCiProcess.argv(
                        runs,
                        runId,
                        "-Drecipe=hello",
                        "-Drecipeci.it.hold-tier=true",
                        "-Drecipeci.it.fixtures=true",
                        "-Drecipeci.lock-dir=" + locks,
                        "-Dstages=install,custom"))
                .redirectErrorStream(true)
                .start();
        reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                        output.notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                // process gone
            }
        });
        return process;
    }

    private static String awaitHolding(StringBuilder output) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        synchronized (output) {
            while (output.indexOf("HOLDING-TIER ") < 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the run never reached the holding tier:\n" + output);
                }
                output.wait(1000);
            }
            int at = output.indexOf("HOLDING-TIER ") + "HOLDING-TIER ".length();
            return output.substring(at, output.indexOf("\n", at)).strip();
        }
    }
}

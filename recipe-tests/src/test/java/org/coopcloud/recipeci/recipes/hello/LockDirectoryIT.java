package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.run.AppDomains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's first finding, reproduced: a run whose lock directory is another one (as on a second runner host sharing
 * the swarm) used to probe a lockfile in its own directory, find it free and reap a live run's app. Now its janitor
 * must name the app's owner and leave it, set by {@code -Drecipeci.lock-dir} or by {@code RECIPECI_LOCK_DIR}, and the
 * live run must stay green.
 */
class LockDirectoryIT {
    private static final String SUFFIX = "lockdirs.recipe-ci.test";

    @TempDir
    Path work;

    @Test
    void aRunWithAnotherLockDirectoryLeavesALiveRunsAppAndSaysWhoseItIs_andTheLiveRunStaysGreen() throws Exception {
        Path runs = Files.createDirectories(work.resolve("runs"));
        Path live = Files.createDirectories(work.resolve("live-locks"));
        Path other = Files.createDirectories(work.resolve("other-locks"));
        Path release = work.resolve("release");
        String pr = "ld" + ProcessHandle.current().pid();
        AppDomain domain = AppDomains.forRun(new RecipeName("hello"), pr, "", SUFFIX);
        try (HarnessRun run = HarnessRun.of(runs, "live")
                .with(
                        "-Drecipe=hello",
                        "-Dstages=install,custom",
                        "-Drecipeci.pr=" + pr,
                        "-Drecipeci.domain-suffix=" + SUFFIX,
                        "-Drecipeci.lock-dir=" + live,
                        "-Drecipeci.it.fixtures=true",
                        "-Drecipeci.it.hold-tier=true",
                        "-Drecipeci.it.hold-release=" + release)
                .start()) {
            assertThat(run.awaitLine("HOLDING-TIER ", Duration.ofMinutes(3)))
                    .as(run.output())
                    .isPresent();

            // Two other runs: their compose does not parse, so they stop (exit 2) right after their janitor.
            RecipeCiProcess.Outcome byProperty = RecipeCiProcess.run(
                    runs,
                    "by-property",
                    "-Drecipe=hello",
                    "-Drecipeci.ref=broken-compose",
                    "-Drecipeci.pr=" + pr + "p",
                    "-Drecipeci.domain-suffix=" + SUFFIX,
                    "-Drecipeci.lock-dir=" + other);
            RecipeCiProcess.Outcome byVariable = RecipeCiProcess.run(
                    runs,
                    "by-variable",
                    Map.of("RECIPECI_LOCK_DIR", other.toString()),
                    "-Drecipe=hello",
                    "-Drecipeci.ref=broken-compose",
                    "-Drecipeci.pr=" + pr + "v",
                    "-Drecipeci.domain-suffix=" + SUFFIX);

            for (RecipeCiProcess.Outcome o : List.of(byProperty, byVariable)) {
                assertThat(o.exitCode()).as(o.output()).isEqualTo(2);
                assertThat(o.output())
                        .as("the other run's janitor")
                        .contains("janitor: " + domain + " belongs to ")
                        .contains("run live")
                        .contains(live.toString())
                        .contains("leaving it")
                        .doesNotContain("janitor: " + domain + " has no live run");
            }
            assertThat(Files.list(other).toList())
                    .as("lockfiles the other runs made")
                    .isEmpty();

            Files.writeString(release, "");
            run.awaitGone(Duration.ofMinutes(2));
            assertThat(run.exitValue()).as(run.output()).isZero();
            assertThat(run.output()).contains("GREEN");
        }
        assertThat(Residue.of(List.of(domain), live)).isEmpty();
    }
}

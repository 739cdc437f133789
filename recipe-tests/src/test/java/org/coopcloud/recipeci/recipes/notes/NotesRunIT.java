package org.coopcloud.recipeci.recipes.notes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coopcloud.recipeci.recipes.hello.RecipeCiProcessAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The whole job on the stateful demo recipe: five tiers, the gate, the results ladder, the leak flag.
 *
 * <p>Its runs go side by side, each on a domain of its own ({@link RecipeCiProcessAccess#ownPr}; JUnit's parallel
 * execution is configured for the ITs in recipe-tests/pom.xml).
 */
@Execution(ExecutionMode.CONCURRENT)
class NotesRunIT {
    @TempDir
    Path runs;

    private final List<String> stacks = new ArrayList<>();

    @AfterEach
    void nothingLeft() throws Exception {
        RecipeCiProcessAccess.assertNothingLeftOf(stacks);
    }

    private JsonNode run(String runId, int expectedExit, String... properties) throws Exception {
        List<String> argv = new ArrayList<>(List.of(properties));
        argv.add(RecipeCiProcessAccess.ownPr(runId));
        return RecipeCiProcessAccess.results(runs, runId, "note", stacks, expectedExit, argv.toArray(String[]::new));
    }

    private static String status(JsonNode results, String level) {
        return RecipeCiProcessAccess.rung(results, level).path("status").asText();
    }

    @Test
    void allFiveTiersPass_levelL5() throws Exception {
        JsonNode results = run("it-notes-green", 0, "-Drecipe=notes");

        assertThat(results.path("level").asText()).isEqualTo("L5");
        assertThat(results.path("cap_reason").isNull()).isTrue();
        assertThat(results.path("installed_version").asText()).isEqualTo("1.0.0+1.0");
        assertThat(results.path("tested_version").asText()).isEqualTo("1.1.0+1.1");
        assertThat(results.path("no_secret_leak").asBoolean()).isTrue();
        assertThat(runs.resolve("it-notes-green/summary.md")).content().contains("**L5**");
        assertThat(runs.resolve("it-notes-green/evidence")).doesNotExist();
        assertThat(runs.resolve("it-notes-green/logs/run.log"))
                .as("the profile's ready probe: HTTP /health, stable 2")
                .content()
                .contains("ready at /health: ok: HTTP 200 (1/2)")
                .contains("ready at /health: ok: HTTP 200, stable 2");
    }

    @Test
    void aBrokenUpgradeFailsUpgrade_leavesTheRestUnverified_levelL1() throws Exception {
        JsonNode results = run("it-notes-upgrade", 1, "-Drecipe=notes", "-Drecipeci.ref=broken-upgrade");

        assertThat(results.path("level").asText()).isEqualTo("L1");
        assertThat(status(results, "L1")).isEqualTo("pass");
        assertThat(status(results, "L2")).isEqualTo("fail");
        assertThat(status(results, "L3")).isEqualTo("unverified");
        assertThat(status(results, "L4")).isEqualTo("unverified");
        assertThat(results.path("cap_reason").asText()).contains("non-zero exit (127)");
        String xml = Files.readString(runs.resolve("it-notes-upgrade/reports/TEST-junit-jupiter.xml"));
        assertThat(xml).contains("unverified: upgrade failed");
        assertThat(runs.resolve("it-notes-upgrade/evidence/tasks.txt"))
                .content()
                .contains("non-zero exit (127)");
        assertThat(runs.resolve("it-notes-upgrade/evidence/failure.txt"))
                .content()
                .startsWith("upgrade failed: ")
                .contains("non-zero exit (127)");
    }

    @Test
    void aWrongBackupPathFailsBackup_restoreIsUnverified_levelL2() throws Exception {
        JsonNode results = run(
                "it-notes-backup",
                1,
                "-Drecipe=notes",
                "-Drecipeci.ref=broken-backup-path",
                "-Dstages=install,upgrade,backup,restore");

        assertThat(results.path("level").asText()).isEqualTo("L2");
        assertThat(status(results, "L3")).isEqualTo("fail");
        assertThat(results.path("cap_reason").asText()).contains("/no/such/dir");
    }

    @Test
    void withoutABackupPathEveryVolumeButTheExcludedOneIsBackedUp_andRestoreHooksRun() throws Exception {
        JsonNode results = run(
                "it-notes-volumes",
                0,
                "-Drecipe=notes",
                "-Drecipeci.ref=whole-volumes",
                "-Dstages=install,backup,restore");

        assertThat(status(results, "L3")).isEqualTo("pass");
        JsonNode manifest = new ObjectMapper()
                .readTree(runs.resolve("it-notes-volumes/snapshots/snapshot-1/manifest.json")
                        .toFile());
        List<String> paths = new ArrayList<>();
        manifest.forEach(entry -> paths.add(entry.path("path").asText()));
        assertThat(paths)
                .as("backupbot.backup.volumes.cache=false leaves /cache out")
                .containsExactly("/data");
        assertThat(runs.resolve("it-notes-volumes/logs/run.log"))
                .content()
                .contains(
                        "backup pre-hook ran", "backup post-hook ran", "restore pre-hook ran", "restore post-hook ran");
    }

    @Test
    void aSecretPlantedInTheReportsMakesNoSecretLeakFalse() throws Exception {
        JsonNode results = run(
                "it-notes-leak",
                0,
                "-Drecipe=notes",
                "-Dstages=install,custom",
                "-Drecipeci.it.leak-secret=report",
                "-Drecipeci.it.fixtures=true");

        assertThat(results.path("no_secret_leak").asBoolean()).isFalse();
        assertThat(runs.resolve("it-notes-leak/summary.md")).content().contains("leaked");
    }

    @Test
    void aSecretPrintedByATestIsRedactedOnTheConsole_andStillFlagged() throws Exception {
        RecipeCiProcessAccess.Outcome outcome = RecipeCiProcessAccess.run(
                runs,
                "it-notes-print",
                "-Drecipe=notes",
                "-Dstages=install,custom",
                "-Drecipeci.it.leak-secret=stdout",
                "-Drecipeci.it.fixtures=true",
                RecipeCiProcessAccess.ownPr("it-notes-print"));
        stacks.addAll(RecipeCiProcessAccess.stacks(outcome.output(), "note"));

        assertThat(outcome.output()).contains("the token is [secret redacted]");
        JsonNode results = new ObjectMapper()
                .readTree(runs.resolve("it-notes-print/results.json").toFile());
        assertThat(results.path("no_secret_leak").asBoolean()).isFalse();
        assertThat(runs.resolve("it-notes-print/logs/output.log")).content().contains("the token is [secret redacted]");
    }
}

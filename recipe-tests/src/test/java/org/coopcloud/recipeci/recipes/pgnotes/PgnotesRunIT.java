package org.coopcloud.recipeci.recipes.pgnotes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coopcloud.recipeci.recipes.hello.ManyJvms;
import org.coopcloud.recipeci.recipes.hello.RecipeCiProcessAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The whole job on {@code pgnotes}, an app and a real PostgreSQL: all five tiers green at L5 with the dump taken and
 * loaded back by the backupbot hooks; the branch whose restore hook fails, failing RESTORE with the hook's own
 * error; and the branch whose dump is empty (its pg_dump fails where the hook cannot see it), failing BACKUP with
 * the empty file named: there is nothing to restore.
 */
@ResourceLock(ManyJvms.PEAK_LOAD)
class PgnotesRunIT {
    @TempDir
    Path runs;

    private final List<String> stacks = new ArrayList<>();

    @AfterEach
    void nothingLeft() throws Exception {
        RecipeCiProcessAccess.assertNothingLeftOf(stacks);
    }

    private JsonNode run(String runId, int expectedExit, String... properties) throws Exception {
        return RecipeCiProcessAccess.results(runs, runId, "pgno", stacks, expectedExit, properties);
    }

    private static JsonNode rung(JsonNode results, String level) {
        return RecipeCiProcessAccess.rung(results, level);
    }

    @Test
    void allFiveTiersPass_theDumpIsTakenAndLoadedBack_levelL5() throws Exception {
        JsonNode results = run("it-pgnotes-green", 0, "-Drecipe=pgnotes");

        assertThat(results.path("level").asText()).isEqualTo("L5");
        assertThat(results.path("installed_version").asText()).isEqualTo("1.0.0+1.0");
        assertThat(results.path("tested_version").asText()).isEqualTo("1.1.0+1.1");
        assertThat(results.path("lint").path("passes").asBoolean()).isTrue();
        assertThat(results.path("no_secret_leak").asBoolean()).isTrue();
        assertThat(runs.resolve("it-pgnotes-green/summary.md")).content().contains("**L5**");
        assertThat(runs.resolve("it-pgnotes-green/logs/run.log"))
                .as("pg_dump ran before the copy, psql loaded the dump after the restore")
                .content()
                .containsPattern("pgno-[0-9a-f]{6}_\\S+_db: backup pre-hook ran in \\d+ ms: pg_dump ")
                .containsPattern("pgno-[0-9a-f]{6}_\\S+_db: restore post-hook ran in \\d+ ms: psql ");
    }

    @Test
    void aRestoreHookThatFails_failsRestoreWithTheHooksError_levelL2() throws Exception {
        JsonNode results = run("it-pgnotes-restore", 1, "-Drecipe=pgnotes", "-Drecipeci.ref=broken-restore");

        assertThat(results.path("level").asText()).isEqualTo("L2");
        assertThat(rung(results, "L1").path("status").asText()).isEqualTo("pass");
        assertThat(rung(results, "L2").path("status").asText()).isEqualTo("pass");
        JsonNode l3 = rung(results, "L3");
        assertThat(l3.path("status").asText()).isEqualTo("fail");
        assertThat(l3.path("reason").asText())
                .startsWith("restore: ")
                .contains("restore post-hook of ")
                .contains("pgnotes-latest.sql: No such file or directory");
        assertThat(runs.resolve("it-pgnotes-restore/summary.md"))
                .content()
                .contains("pgnotes-latest.sql: No such file or directory");
        assertThat(runs.resolve("it-pgnotes-restore/reports/TEST-junit-jupiter.xml"))
                .as("the branch upgrades from 1.1.0+1.1: no migration to claim")
                .content()
                .containsPattern(
                        "<testcase name=\"aNoteFromBeforeTheUpgradeSurvivedTheMigration\\(DeployedApp\\)\"[^>]*>\\s*"
                                + "<skipped><!\\[CDATA\\[\\S+: Assumption failed: the upgrade started at 1\\.1\\.0\\+1\\.1: no"
                                + " migration to check");
    }

    @Test
    void aDumpThatIsEmpty_failsBackupNamingTheEmptyFile_restoreIsUnverified_levelL2() throws Exception {
        // Without CUSTOM: nothing of it bears on the backup, and the test waits on its chain of CI's slowest classes.
        JsonNode results = run(
                "it-pgnotes-empty",
                1,
                "-Drecipe=pgnotes",
                "-Drecipeci.ref=empty-dump",
                "-Dstages=install,upgrade,backup,restore");

        assertThat(results.path("level").asText()).isEqualTo("L2");
        JsonNode l3 = rung(results, "L3");
        assertThat(l3.path("status").asText()).isEqualTo("fail");
        assertThat(l3.path("reason").asText())
                .startsWith("backup: ")
                .contains("did not produce a snapshot holding the marker in 3 tries")
                .containsPattern("_db: /var/lib/postgresql/backup/pgnotes.sql is an empty file");
        assertThat(runs.resolve("it-pgnotes-empty/summary.md"))
                .content()
                .contains("/var/lib/postgresql/backup/pgnotes.sql is an empty file");
        assertThat(runs.resolve("it-pgnotes-empty/logs/commands.log"))
                .as("no restore was attempted from an empty dump")
                .content()
                .doesNotContain("ON_ERROR_STOP=1 --single-transaction");
    }
}

package org.coopcloud.recipeci.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.coopcloud.recipeci.internal.report.TierResults.Kind;
import org.coopcloud.recipeci.internal.report.TierResults.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What results.json and summary.md say about a failed deploy: docker's reason in one line, the whole text below. */
class RunResultsTest {
    private static final String REASON = "docker stack deploy of envt_x failed: network \"envt-nope\" is declared as"
            + " external, but could not be found";
    private static final String DETAIL = REASON + "\n`docker stack deploy --prune -c compose.yml envt_x` exited with 1"
            + " after 93 ms:\n    network \"envt-nope\" is declared as external, but could not be found\ntasks:\n"
            + "  (none)";

    private static RunResults failedInstall(Path runs) {
        TierResults outcomes = new TierResults();
        outcomes.add(Stage.INSTALL, new Outcome("the app converges", Kind.FAILED, REASON, DETAIL));
        outcomes.add(Stage.CUSTOM, new Outcome("greets", Kind.FAILED, REASON, DETAIL));
        RunConfig config = RunConfig.of(new RecipeName("envt"), RunPaths.under(runs))
                .withRunId(new RunId("r1"))
                .withStages(EnumSet.of(Stage.INSTALL, Stage.CUSTOM));
        return red(config, outcomes, Optional.of("envt-abc123.ci.example.org"));
    }

    /** A red run's results (exit 1, clean teardown, no leak) of {@code outcomes}. */
    private static RunResults red(RunConfig config, TierResults outcomes, Optional<String> domain) {
        Ladder.Result ladder = Ladder.climb(outcomes::of, config.stages(), Optional.of(List.of()), Optional.empty());
        return new RunResults(
                config,
                ladder,
                outcomes,
                domain,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                true,
                List.of(),
                List.of(),
                1,
                Optional.empty());
    }

    @Test
    void resultsJsonCarriesDockersReasonAsTheCapAndRungReason_andTheWholeTextAsDetail(@TempDir Path dir)
            throws Exception {
        failedInstall(dir).write(dir);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertThat(json.path("cap_reason").asText())
                .contains("could not be found")
                .contains("envt-nope");
        JsonNode install = json.path("rungs").get(0);
        assertThat(install.path("reason").asText()).isEqualTo("the app converges: " + REASON);
        assertThat(install.path("detail").asText()).isEqualTo(DETAIL);
        assertThat(json.path("rungs").get(4).has("detail"))
                .as("a passed rung has no detail")
                .isFalse();
    }

    @Test
    void summaryMdShowsTheReasonInTheTableAndTheWholeFailureBelow(@TempDir Path dir) throws Exception {
        failedInstall(dir).write(dir);

        String md = Files.readString(dir.resolve("summary.md"));
        assertThat(md)
                .contains("| L1 | install | ❌ fail | the app converges: docker stack deploy of envt_x failed: network")
                .contains("Capped at L0: L1 install fail: the app converges: docker stack deploy")
                .contains("<details><summary>L1 install: the whole failure</summary>")
                .contains("```\n" + DETAIL + "\n```");
    }

    @Test
    void everyFailedTestIsListed_withTheCountsOfEachKind(@TempDir Path dir) throws Exception {
        failedInstall(dir).write(dir);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertThat(json.path("tests").path("failed").asInt()).isEqualTo(2);
        assertThat(json.path("tests").path("passed").asInt()).isZero();
        assertThat(json.path("failed_tests")).hasSize(2);
        assertThat(json.path("failed_tests").get(1).path("stage").asText()).isEqualTo("custom");
        assertThat(json.path("failed_tests").get(1).path("test").asText()).isEqualTo("greets");
        assertThat(Files.readString(dir.resolve("summary.md")))
                .contains("2 failed tests:")
                .contains("- INSTALL · the app converges: " + REASON)
                .contains("- CUSTOM · greets: " + REASON);
    }

    @Test
    void testsThatFailedForOneCauseShareALine_andTheListIsCut(@TempDir Path dir) throws Exception {
        TierResults outcomes = new TierResults();
        outcomes.add(Stage.UPGRADE, new Outcome("volumes kept", Kind.FAILED, "upgrade failed: rolled back"));
        outcomes.add(Stage.UPGRADE, new Outcome("version label", Kind.FAILED, "upgrade failed: rolled back"));
        for (int i = 0; i < RunResults.FAILED_TESTS_SHOWN + 3; i++) {
            outcomes.add(Stage.CUSTOM, new Outcome("custom " + i, Kind.FAILED, "expected " + i));
        }
        RunConfig config =
                RunConfig.of(new RecipeName("envt"), RunPaths.under(dir)).withRunId(new RunId("r2"));
        red(config, outcomes, Optional.empty()).write(dir);

        String md = Files.readString(dir.resolve("summary.md"));
        assertThat(md)
                .contains(RunResults.FAILED_TESTS_SHOWN + 5 + " failed tests:")
                .contains("- UPGRADE · volumes kept (and 1 more of its tests): upgrade failed: rolled back")
                .contains("- … and 4 more in results.json");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertThat(json.path("failed_tests")).hasSize(RunResults.FAILED_TESTS_SHOWN + 5);
        assertThat(json.path("failed_tests").get(0).path("kind").asText()).isEqualTo("failed");
    }

    @Test
    void aFenceIsLongerThanAnyBacktickRunInTheText() {
        String fenced = RunResults.fenced("a ``` b ```` c");

        assertThat(fenced).startsWith("`````\n").endsWith("\n`````");
    }

    @Test
    void aLongFailureIsCutInTheSummary() {
        String fenced = RunResults.fenced("line\n".repeat(RunResults.DETAIL_LINES + 5));

        assertThat(fenced).contains("… (5 more lines in the JUnit XML report)");
        assertThat(fenced.lines().filter("line"::equals)).hasSize(RunResults.DETAIL_LINES);
    }
}

package org.coopcloud.recipeci.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.coopcloud.recipeci.internal.recipe.lint.Finding;
import org.coopcloud.recipeci.internal.recipe.lint.LintReport;
import org.coopcloud.recipeci.internal.recipe.lint.NotJudged;
import org.coopcloud.recipeci.internal.recipe.lint.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lint in a run's results: errors fail L5 with their rule ids; every finding is listed with its fix. */
class RunResultsLintTest {
    private static final LintReport TRAEFIK = new LintReport(
            List.of(
                    new Finding(
                            "R015",
                            Severity.WARN,
                            "long secret names",
                            List.of("secret 'ovh_app_secret' is 14 characters"),
                            "shorten each secret key"),
                    new Finding(
                            "R014",
                            Severity.ERROR,
                            "only annotated tags used for recipe version",
                            List.of("tag v2.4.8 is lightweight"),
                            "re-create each tag as an annotated tag")),
            List.of(new NotJudged("R013", Severity.WARN, "git.coopcloud.tech repo exists", "needs the network")),
            Optional.empty());

    @TempDir
    Path runDir;

    private RunResults results(LintReport lint) {
        RunConfig config = RunConfig.of(new RecipeName("traefik"), new RunPaths(runDir, runDir, runDir, "ci.example"))
                .withStages(EnumSet.allOf(Stage.class));
        TierResults outcomes = new TierResults();
        Ladder.Result ladder = Ladder.climb(
                s -> List.of(new TierResults.Outcome("t", TierResults.Kind.PASSED, "")),
                config.stages(),
                Optional.of(lint.errorLines()),
                Optional.empty());
        return new RunResults(
                config,
                ladder,
                outcomes,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                true,
                List.of(),
                List.of(),
                1,
                Optional.of(lint));
    }

    @Test
    void anErrorFailsL5WithTheRuleId_andTheSummaryListsEveryFindingWithItsFix() {
        RunResults results = results(TRAEFIK);

        assertThat(results.level()).isEqualTo("L4");
        assertThat(results.ladder().capReason())
                .hasValueSatisfying(c -> assertThat(c).startsWith("L5 lint fail: R014 only annotated tags"));
        String md = results.markdown();
        assertThat(md)
                .contains("**Lint** (abra's rules): 1 error (R014), 1 warning (R015)")
                .contains("| R014 | only annotated tags used for recipe version | ❌ error | tag v2.4.8 is lightweight"
                        + " | re-create each tag as an annotated tag |")
                .contains("| R015 | long secret names | ⚠️ warn | secret 'ovh_app_secret' is 14 characters |")
                .contains("Not judged: R013 (needs the network)");
        assertThat(md.indexOf("| R014 |")).as("errors first").isLessThan(md.indexOf("| R015 |"));
    }

    @Test
    void warningsAloneLeaveL5Passing_andAreStillListed() {
        RunResults results = results(new LintReport(List.of(TRAEFIK.findings().get(0)), List.of(), Optional.empty()));

        assertThat(results.level()).isEqualTo("L5");
        assertThat(results.markdown()).contains("| R015 | long secret names | ⚠️ warn |");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        results.print(new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("lint       no errors, 1 warning (R015)")
                .contains("R015 warn  long secret names: secret 'ovh_app_secret' is 14 characters")
                .contains("fix: shorten each secret key");
    }

    @Test
    void resultsJsonCarriesTheFindings() throws Exception {
        results(TRAEFIK).write(runDir);

        JsonNode lint = new ObjectMapper()
                .readTree(runDir.resolve("results.json").toFile())
                .path("lint");
        assertThat(lint.path("passes").asBoolean()).isFalse();
        assertThat(lint.path("findings").get(1).path("rule").asText()).isEqualTo("R014");
        assertThat(lint.path("findings").get(1).path("severity").asText()).isEqualTo("error");
        assertThat(lint.path("not_judged").get(0).path("rule").asText()).isEqualTo("R013");
    }
}

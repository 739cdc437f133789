package org.coopcloud.recipeci.internal.report.gitea;

import static org.assertj.core.api.Assertions.fail;

import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The functional tier of the reporting ITs' recipe {@code pr-report}: passes, fails or holds the run as the child
 * JVM's {@code recipeci.it.pr-report} property says ({@code pass}, {@code fail}, {@code hold}). A fixture: only
 * runs selected with {@code -Drecipeci.it.fixtures=true} see it.
 */
@RecipeTest(recipe = "pr-report")
@Tier(Stage.CUSTOM)
@Tag("recipe-ci-it-fixture")
class PrReportTier {
    @Test
    void behavesAsTheRunAsks(DeployedApp app) throws InterruptedException {
        switch (System.getProperty("recipeci.it.pr-report", "pass")) {
            case "fail" -> fail("failed on purpose (recipeci.it.pr-report=fail)");
            case "hold" -> {
                System.out.println("PR-REPORT-HOLDING " + app.domain());
                System.out.flush();
                Thread.sleep(120_000);
            }
            default -> {}
        }
    }
}

package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * What an IDE does when you run one test method: a Launcher with a single method selector. The recipe comes from
 * the class's {@code @RecipeTest(recipe = "hello")}; the run deploys, runs just that method, and tears down.
 */
class SingleTestMethodIT {
    @TempDir
    Path runs;

    @Test
    void oneMethodRunAloneDeploysRunsItAndTearsDown() throws Exception {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectMethod(
                                        HelloInstallTier.class,
                                        "frontPageShowsUpstreamVersion",
                                        "org.coopcloud.recipeci.DeployedApp"))
                                .configurationParameter("recipeci.runs-dir", runs.toString())
                                .configurationParameter("recipeci.run-id", "it-ide")
                                .build(),
                        listener);

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsFoundCount()).isEqualTo(1);
        assertThat(summary.getTestsSucceededCount())
                .as(summary.getFailures().toString())
                .isEqualTo(1);
        assertThat(summary.getTotalFailureCount()).isZero();
        String log = Files.readString(runs.resolve("it-ide/logs/run.log"));
        assertThat(log).contains("deployed and healthy").contains("teardown clean");
        List<String> stacks = RecipeCiProcess.stacksIn(log);
        assertThat(stacks).hasSize(1);
        RecipeCiProcess.assertNothingLeftOf(stacks);
    }
}

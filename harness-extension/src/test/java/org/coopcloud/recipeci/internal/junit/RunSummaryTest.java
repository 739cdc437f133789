package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    @Test
    void configurationErrorItselfCounts() {
        assertThat(RunSummary.isConfigurationError(new RecipeConfigurationException("no recipe given")))
                .isTrue();
    }

    @Test
    void configurationErrorDeepInTheCauseChainCounts() {
        Throwable chain = new RuntimeException(
                "extension failed",
                new ExecutionException(new RecipeCiException(
                        "run setup failed",
                        new IllegalStateException(new RecipeConfigurationException("bad version")))));
        assertThat(RunSummary.isConfigurationError(chain)).isTrue();
    }

    @Test
    void otherFailuresDoNotCount() {
        assertThat(RunSummary.isConfigurationError(new DeployFailedException("web 0/1")))
                .isFalse();
        assertThat(RunSummary.isConfigurationError(new AssertionError("expected 200")))
                .isFalse();
        assertThat(RunSummary.isConfigurationError(
                        new RecipeCiException("x", new UncheckedIOException(new java.io.IOException("io")))))
                .isFalse();
    }

    @Test
    void theFirstLineOfAnAssertjFailureIsItsText() {
        Throwable assertj = org.assertj.core.api.Assertions.catchThrowable(
                () -> assertThat(200).as("status of /").isEqualTo(404));

        assertThat(RunSummary.firstLine(assertj))
                .startsWith("[status of /]")
                .contains("404")
                .contains("200");
    }

    @Test
    void theFirstLineOfAWrappedDeployFailureIsDockersReason() {
        Throwable wrapped = new IllegalStateException(
                "extension",
                new DeployFailedException("\nSince --detach=false was not specified, tasks will be created"
                        + " in the background.\nnetwork \"x\" is declared as external, but could not be found"));

        assertThat(RunSummary.firstLine(wrapped))
                .isEqualTo("network \"x\" is declared as external, but could not be found");
    }

    @Test
    void nullIsNoConfigurationError() {
        assertThat(RunSummary.isConfigurationError(null)).isFalse();
    }
}

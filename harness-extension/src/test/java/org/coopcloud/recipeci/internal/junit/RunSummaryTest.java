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
    void nullIsNoConfigurationError() {
        assertThat(RunSummary.isConfigurationError(null)).isFalse();
    }
}

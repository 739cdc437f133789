package org.coopcloud.recipeci.internal.junit;

import java.util.concurrent.atomic.AtomicReference;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.text.FailureText;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Ends a run at the first configuration error a tier meets (the first tier's deploy finds the compose files do not
 * parse, the profile is wrong, …): the Launcher is cancelled, so no other test runs into the same error, and the
 * entrypoint says it once, as it says errors found before the tiers. Registered last: JUnit tells of a finished test
 * last-registered listener first, so the progress lines fall silent before the failing test's line is printed.
 */
final class ConfigurationErrors implements TestExecutionListener {
    private final CancellationToken cancellation;
    private final AtomicReference<String> first = new AtomicReference<>();

    ConfigurationErrors(CancellationToken cancellation) {
        this.cancellation = cancellation;
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        result.getThrowable().filter(RunSummary::isConfigurationError).ifPresent(t -> {
            if (first.compareAndSet(null, message(t))) {
                cancellation.cancel();
            }
        });
    }

    boolean found() {
        return first.get() != null;
    }

    String message() {
        return first.get();
    }

    /** The configuration error's own message, whatever JUnit wrapped it in. */
    private static String message(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RecipeConfigurationException) {
                return FailureText.firstMeaningfulLine(c);
            }
        }
        return FailureText.firstMeaningfulLine(t);
    }
}

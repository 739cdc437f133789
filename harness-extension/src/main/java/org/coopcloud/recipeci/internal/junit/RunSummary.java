package org.coopcloud.recipeci.internal.junit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.report.RunResults;
import org.coopcloud.recipeci.internal.text.FailureText;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The one-screen end of a run: counts, failures (first line each), where the evidence is, and the exit code. */
record RunSummary(
        RunConfig config,
        Path reports,
        long passed,
        long failed,
        long skipped,
        long containersFailed,
        List<String> failures,
        boolean configurationError,
        Optional<Cancellation> cancellation,
        Optional<List<String>> teardownLeft) {

    /** The run was stopped by a signal or the deadline: the exit code it imposes and why. */
    record Cancellation(int exitCode, String cause) {}

    /** @param teardownLeft what teardown could not remove, when it left anything: the run is then not green */
    static RunSummary of(
            TestExecutionSummary summary,
            RunConfig config,
            Path reports,
            Optional<Cancellation> cancellation,
            Optional<List<String>> teardownLeft) {
        // One line per distinct cause: a failed deploy fails every test with the same message.
        Map<String, List<String>> byCause = new LinkedHashMap<>();
        summary.getFailures().forEach(f -> byCause.computeIfAbsent(firstLine(f.getException()), k -> new ArrayList<>())
                .add(f.getTestIdentifier().getDisplayName()));
        List<String> failures = byCause.entrySet().stream()
                .map(e -> e.getValue().size() == 1
                        ? e.getValue().get(0) + ": " + e.getKey()
                        : e.getKey() + "\n      (" + e.getValue().size() + " tests: " + String.join("; ", e.getValue())
                                + ")")
                .toList();
        boolean configError = summary.getFailures().stream().anyMatch(f -> isConfigurationError(f.getException()));
        return new RunSummary(
                config,
                reports,
                summary.getTestsSucceededCount(),
                summary.getTestsFailedCount(),
                summary.getTestsSkippedCount() + summary.getTestsAbortedCount(),
                summary.getContainersFailedCount(),
                failures,
                configError,
                cancellation,
                teardownLeft);
    }

    /**
     * The first meaningful line ({@link FailureText}) of the most telling message: recipe-ci's own exception when
     * JUnit wrapped it.
     */
    static String firstLine(Throwable t) {
        Throwable telling = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RecipeCiException) {
                telling = c;
                break;
            }
            for (Throwable suppressed : c.getSuppressed()) {
                if (suppressed instanceof RecipeCiException) {
                    telling = suppressed;
                }
            }
        }
        return FailureText.firstMeaningfulLine(telling);
    }

    static boolean isConfigurationError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RecipeConfigurationException) {
                return true;
            }
        }
        return false;
    }

    int exitCode() {
        if (cancellation.isPresent()) {
            return cancellation.get().exitCode();
        }
        if (configurationError) {
            return RecipeCiMain.BAD_CONFIGURATION;
        }
        return failed > 0 || containersFailed > 0 || teardownLeft.isPresent()
                ? RecipeCiMain.TESTS_FAILED
                : RecipeCiMain.GREEN;
    }

    /**
     * @param code the exit code the run committed (a signal during reporting may have changed {@link #exitCode()})
     * @param stopCause why a signal or the deadline stopped the run, if one did
     */
    void print(PrintStream out, RunResults results, int code, String stopCause) {
        String verdict =
                switch (code) {
                    case RecipeCiMain.GREEN -> "GREEN";
                    case RecipeCiMain.BAD_CONFIGURATION -> "CONFIGURATION ERROR";
                    case 129, 130, 142, 143 -> "CANCELLED — " + stopCause;
                    default -> "RED";
                };
        out.println("=".repeat(72));
        out.printf("recipe-ci  %s  run %s%n", config.recipe(), config.runId());
        out.printf(
                "tests      %d passed, %d failed, %d skipped%s%n",
                passed,
                failed,
                skipped,
                containersFailed > 0 ? " (" + containersFailed + " class/run-level failure(s))" : "");
        failures.stream().limit(12).forEach(f -> out.println("  x " + f));
        teardownLeft.ifPresent(left -> out.println("  x teardown left " + left.size() + " thing(s) for the next run's"
                + " janitor: " + String.join(", ", left)));
        if (failures.size() > 12) {
            out.println("  ... and " + (failures.size() - 12) + " more (see the reports)");
        }
        results.print(out);
        out.println("reports    " + reports + " (JUnit XML, Open Test Reporting XML)");
        out.println("results    " + config.runDir().resolve("results.json") + ", summary.md");
        out.println("logs       " + config.runDir().resolve("logs"));
        out.printf("result     %s (exit %d)%n", verdict, code);
        out.println("=".repeat(72));
        out.flush();
    }
}

package org.coopcloud.recipeci.internal.junit;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.text.FailureText;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** Prints each tier class as it starts and each test as it ends, with its outcome and duration. */
final class ProgressListener implements TestExecutionListener {
    private final PrintStream out;
    private final BooleanSupplier quiet;
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    ProgressListener(PrintStream out) {
        this(out, () -> false);
    }

    /** @param quiet once true, nothing more is printed (a configuration error ends the run with one line) */
    ProgressListener(PrintStream out, BooleanSupplier quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        started.put(id.getUniqueId(), System.nanoTime());
        if (isClass(id)) {
            print("== " + id.getDisplayName());
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        print((id.isTest() ? "   SKIP " : "== SKIP ") + id.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Long t0 = started.remove(id.getUniqueId());
        String took = t0 == null
                ? ""
                : " (" + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms)";
        if (id.isTest()) {
            print("   " + word(result) + " " + id.getDisplayName() + took + reason(result));
        } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            print("== " + word(result) + " " + id.getDisplayName() + took + reason(result));
        }
    }

    private static boolean isClass(TestIdentifier id) {
        return id.isContainer()
                && id.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    private static String word(TestExecutionResult result) {
        return switch (result.getStatus()) {
            case SUCCESSFUL -> "PASS";
            case ABORTED -> "SKIP";
            case FAILED -> "FAIL";
        };
    }

    private static String reason(TestExecutionResult result) {
        return result.getThrowable()
                .map(t -> ": " + FailureText.firstMeaningfulLine(t))
                .orElse("");
    }

    private void print(String line) {
        if (quiet.getAsBoolean()) {
            return;
        }
        out.println("[recipe-ci " + RunLog.clock() + "] " + line);
        out.flush();
    }
}

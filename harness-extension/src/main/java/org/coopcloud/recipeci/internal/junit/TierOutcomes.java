package org.coopcloud.recipeci.internal.junit;

import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.lock.Janitor;
import org.coopcloud.recipeci.internal.os.HostFaults;
import org.coopcloud.recipeci.internal.process.CommandInterruptedException;
import org.coopcloud.recipeci.internal.report.TierResults;
import org.coopcloud.recipeci.internal.report.TierResults.Kind;
import org.coopcloud.recipeci.internal.report.TierResults.Outcome;
import org.coopcloud.recipeci.internal.text.FailureText;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** Records, per tier, how its tests ended and how long its classes took, into {@link TierResults}. */
final class TierOutcomes implements TestExecutionListener {
    private final TierResults results = new TierResults();
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    TierResults results() {
        return results;
    }

    @Override
    public synchronized void executionStarted(TestIdentifier id) {
        started.put(id.getUniqueId(), System.nanoTime());
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        stage(id).ifPresent(stage -> {
            if (id.isTest()) {
                add(stage, new Outcome(id.getDisplayName(), Kind.SKIPPED, reason));
            }
        });
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Long t0 = started.remove(id.getUniqueId());
        Optional<Stage> stage = stage(id);
        if (stage.isEmpty()) {
            return;
        }
        if (id.isContainer()
                && t0 != null
                && id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
            results.addDuration(stage.get(), Duration.ofNanos(System.nanoTime() - t0));
        }
        if (!id.isTest()) {
            return;
        }
        String reason =
                result.getThrowable().map(FailureText::firstMeaningfulLine).orElse("");
        String detail = result.getThrowable().map(FailureText::whole).orElse("");
        Kind kind =
                switch (result.getStatus()) {
                    case SUCCESSFUL -> Kind.PASSED;
                    case ABORTED -> Kind.SKIPPED;
                    case FAILED ->
                        result.getThrowable().map(TierOutcomes::kindOf).orElse(Kind.FAILED);
                };
        add(stage.get(), new Outcome(id.getDisplayName(), kind, reason, detail));
    }

    static Kind kindOf(Throwable failure) {
        if (isInterruption(failure)) {
            return Kind.INTERRUPTED;
        }
        if (HostFaults.in(failure).isPresent()) {
            // Whatever the test or operation said: the host failed under it (disk, docker).
            return Kind.HOST_FAULT;
        }
        return isVerdict(failure) ? Kind.FAILED : Kind.ERRORED;
    }

    /**
     * A stop interrupts the run's main thread; the test then ends with the interrupt of whatever it was in (a sleep, a
     * named wait, a command, the lock), possibly wrapped — a deploy that failed because its command was interrupted is
     * no verdict either.
     */
    static boolean isInterruption(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException
                    || t instanceof ClosedByInterruptException
                    || t instanceof NamedWait.WaitInterruptedException
                    || t instanceof CommandInterruptedException
                    || t instanceof AppLock.LockInterruptedException
                    || t instanceof Janitor.SweepInterruptedException
                    || t instanceof RunStoppedException) {
                return true;
            }
        }
        return false;
    }

    /** An assertion, or the app failing to deploy or to take an operation, is a verdict on the recipe. */
    static boolean isVerdict(Throwable t) {
        return t instanceof AssertionError || t instanceof DeployFailedException;
    }

    private void add(Stage stage, Outcome outcome) {
        results.add(stage, outcome);
    }

    private static Optional<Stage> stage(TestIdentifier id) {
        return id.getSource()
                .flatMap(s -> s instanceof ClassSource c
                        ? Optional.<Class<?>>of(c.getJavaClass())
                        : s instanceof MethodSource m ? Optional.<Class<?>>of(m.getJavaClass()) : Optional.empty())
                .flatMap(c -> AnnotationSupport.findAnnotation(c, Tier.class))
                .map(Tier::value);
    }
}

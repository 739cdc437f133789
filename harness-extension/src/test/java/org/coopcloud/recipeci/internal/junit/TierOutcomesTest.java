package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandInterruptedException;
import org.coopcloud.recipeci.internal.report.TierResults.Kind;
import org.coopcloud.recipeci.internal.report.TierResults.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;

class TierOutcomesTest {
    /** Only its annotation is read: nothing of it runs. */
    @Tier(Stage.CUSTOM)
    static class SomeTier {
        void greets() {}
    }

    private static TestIdentifier test(String name) {
        AbstractTestDescriptor descriptor =
                new AbstractTestDescriptor(
                        UniqueId.forEngine("t").append("method", name),
                        name,
                        MethodSource.from(SomeTier.class.getName(), "greets")) {
                    @Override
                    public Type getType() {
                        return Type.TEST;
                    }
                };
        return TestIdentifier.from(descriptor);
    }

    private static Outcome finished(Throwable failure) {
        TierOutcomes outcomes = new TierOutcomes();
        TestIdentifier id = test("greets");
        outcomes.executionStarted(id);
        outcomes.executionFinished(id, TestExecutionResult.failed(failure));
        return outcomes.results().of(Stage.CUSTOM).get(0);
    }

    @Test
    void anAssertjFailureHasItsRealTextAsTheReasonNotAnEmptyLine() {
        Throwable assertj = catchThrowable(() -> assertThat("Hello, world").contains("Goodbye"));
        assertThat(assertj.getMessage()).startsWith("\n");

        Outcome outcome = finished(assertj);

        assertThat(outcome.kind()).isEqualTo(Kind.FAILED);
        assertThat(outcome.reason()).isNotBlank().contains("Goodbye").doesNotContain("\n");
        assertThat(outcome.detail()).contains("Goodbye").contains("Hello, world");
    }

    @Test
    void aDeployFailureKeepsDockersReasonInTheLineAndEverythingInTheDetail() {
        Outcome outcome = finished(new DeployFailedException("Since --detach=false was not specified, tasks will be"
                + " created in the background.\nnetwork \"proxy\" is declared as external, but could not be found"
                + "\ntasks:\n(none)"));

        assertThat(outcome.reason()).isEqualTo("network \"proxy\" is declared as external, but could not be found");
        assertThat(outcome.detail()).doesNotContain("--detach").endsWith("tasks:\n(none)");
    }

    @Test
    void anAssertionOrAFailedDeployIsAVerdict() {
        assertThat(TierOutcomes.kindOf(new AssertionError("expected 200"))).isEqualTo(Kind.FAILED);
        assertThat(TierOutcomes.kindOf(new DeployFailedException("task failed")))
                .isEqualTo(Kind.FAILED);
    }

    @Test
    void anyOtherExceptionIsAHarnessError() {
        assertThat(TierOutcomes.kindOf(new NullPointerException())).isEqualTo(Kind.ERRORED);
    }

    @Test
    void anInterruptAnywhereInTheCauseChainIsTheStopNotAVerdict() {
        assertThat(TierOutcomes.kindOf(new InterruptedException("sleep interrupted")))
                .isEqualTo(Kind.INTERRUPTED);
        CommandInterruptedException interrupted =
                new CommandInterruptedException(Command.of(List.of("docker", "stack", "deploy")));
        assertThat(TierOutcomes.kindOf(new DeployFailedException("deploy failed", interrupted)))
                .isEqualTo(Kind.INTERRUPTED);
        assertThat(TierOutcomes.kindOf(new IllegalStateException("wrapped", interrupted)))
                .isEqualTo(Kind.INTERRUPTED);
    }
}

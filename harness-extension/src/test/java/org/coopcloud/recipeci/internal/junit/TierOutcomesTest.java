package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandInterruptedException;
import org.coopcloud.recipeci.internal.report.TierResults.Kind;
import org.junit.jupiter.api.Test;

class TierOutcomesTest {
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

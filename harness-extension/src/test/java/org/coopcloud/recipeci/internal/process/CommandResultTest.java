package org.coopcloud.recipeci.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CommandResultTest {

    private static final Command DEPLOY = Command.of("docker", "stack", "deploy", "my stack");

    private static CommandResult result(Command command, int exit, String stdout, String stderr, boolean timedOut) {
        return new CommandResult(command, exit, stdout, stderr, timedOut, Duration.ofMillis(1234));
    }

    @Test
    void zeroExitIsOk() {
        assertThat(result(DEPLOY, 0, "", "", false).ok()).isTrue();
        assertThat(result(DEPLOY, 1, "", "", false).ok()).isFalse();
    }

    @Test
    void timedOutIsNeverOk() {
        assertThat(result(DEPLOY, 0, "", "", true).ok()).isFalse();
        assertThat(result(DEPLOY.withOkExitCodes(-1), -1, "", "", true).ok()).isFalse();
    }

    @Test
    void okExitCodesAreRespected() {
        Command grep = Command.of("grep", "x").withOkExitCodes(0, 1);
        assertThat(result(grep, 1, "", "", false).ok()).isTrue();
        assertThat(result(grep, 2, "", "", false).ok()).isFalse();
        assertThat(result(Command.of("x").withOkExitCodes(3), 0, "", "", false).ok())
                .isFalse();
    }

    @Test
    void orThrowReturnsItselfWhenOk() {
        CommandResult ok = result(DEPLOY, 0, "done", "", false);
        assertThat(ok.orThrow()).isSameAs(ok);
    }

    @Test
    void orThrowCarriesTheResult() {
        CommandResult failed = result(DEPLOY, 2, "", "boom", false);
        assertThatThrownBy(failed::orThrow)
                .isInstanceOfSatisfying(CommandFailedException.class, e -> assertThat(e.result())
                        .isSameAs(failed))
                .hasMessage(failed.describe());
    }

    @Test
    void commandFailedExceptionCarriesTheResult() {
        CommandResult failed = result(DEPLOY, 2, "", "boom", false);
        CommandFailedException e = new CommandFailedException(failed);
        assertThat(e.result()).isSameAs(failed);
        assertThat(e.getMessage()).isEqualTo(failed.describe()).contains("boom");
    }

    @Test
    void describeNamesCommandAndExitCode() {
        String text = result(DEPLOY, 3, "", "no such network", false).describe();
        assertThat(text)
                .startsWith("`docker stack deploy 'my stack'` exited with 3")
                .contains("1234 ms")
                .contains("no such network");
    }

    @Test
    void describeSaysTimedOut() {
        String text = result(DEPLOY.withTimeout(Duration.ofSeconds(7)), -1, "", "", true)
                .describe();
        assertThat(text).contains("`docker stack deploy 'my stack'`").contains("timed out (limit 7000 ms");
        assertThat(text).doesNotContain("exited with");
    }

    @Test
    void describeKeepsTheLastFifteenLinesOfStderr() {
        String stderr =
                IntStream.rangeClosed(1, 40).mapToObj(i -> "err line " + i).collect(Collectors.joining("\n"));
        String text = result(DEPLOY, 1, "stdout noise", stderr + "\n", false).describe();
        assertThat(text).contains("err line 26").contains("err line 40");
        assertThat(text).doesNotContain("err line 25\n").doesNotContain("stdout noise");
        assertThat(text.lines().filter(l -> l.contains("err line"))).hasSize(15);
        assertThat(text.lines().filter(l -> l.contains("err line"))).allMatch(l -> l.startsWith("    "), "indented");
    }

    @Test
    void describeKeepsShortStderrWhole() {
        String text = result(DEPLOY, 1, "", "first\nsecond", false).describe();
        assertThat(text).endsWith(":\n    first\n    second");
    }

    @Test
    void describeFallsBackToStdoutWhenStderrIsBlank() {
        String text = result(DEPLOY, 1, "failed to deploy: image missing", " \n\t", false)
                .describe();
        assertThat(text).contains("failed to deploy: image missing");
    }

    @Test
    void describeHasNoTailWhenThereIsNoOutput() {
        String text = result(DEPLOY, 1, "", "", false).describe();
        assertThat(text).isEqualTo("`docker stack deploy 'my stack'` exited with 1 after 1234 ms");
    }

    @Test
    void tailKeepsAtMostFifteenLines() {
        String text = IntStream.rangeClosed(1, 16).mapToObj(Integer::toString).collect(Collectors.joining("\n"));
        assertThat(CommandResult.tail(text).lines()).hasSize(15).first().isEqualTo("2");
        assertThat(CommandResult.tail("a\nb")).isEqualTo("a\nb");
    }

    @Test
    void dockersDetachNoticeIsNeitherTheFirstLineNorPartOfTheTail() {
        String stderr = "Since --detach=false was not specified, tasks will be created in the background.\n"
                + "In a future release, --detach=false will become the default.\n"
                + "network \"proxy\" is declared as external, but could not be found.\n";
        CommandResult failed = result(DEPLOY, 1, "", stderr, false);

        assertThat(failed.firstLine()).isEqualTo("network \"proxy\" is declared as external, but could not be found.");
        assertThat(failed.describe()).doesNotContain("--detach").endsWith("could not be found.");
    }

    @Test
    void aFailureLeadsWithWhatTheCommandSaid() {
        CommandResult failed = result(
                DEPLOY,
                1,
                "",
                "Since --detach=false was not specified, tasks will be created"
                        + " in the background.\nnetwork \"gone\" is declared as external, but could not be found\n",
                false);

        assertThat(failed.failure())
                .startsWith("network \"gone\" is declared as external, but could not be found\n`docker stack deploy")
                .contains("exited with 1");
    }

    @Test
    void firstLineSaysTheOutcomeWhenTheCommandSaidNothingButNotices() {
        CommandResult quiet = result(
                DEPLOY,
                1,
                "",
                "Since --detach=false was not specified, tasks will be created in the background.",
                false);

        assertThat(quiet.firstLine()).isEqualTo("exit 1");
    }
}

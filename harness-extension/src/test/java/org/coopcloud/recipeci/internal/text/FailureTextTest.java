package org.coopcloud.recipeci.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailureTextTest {
    /** What `docker stack deploy` printed on stderr here for a compose naming a network that does not exist. */
    static final String MISSING_NETWORK = "Since --detach=false was not specified, tasks will be created in the"
            + " background.\n"
            + "In a future release, --detach=false will become the default.\n"
            + "network \"envt-missing-net-x1\" is declared as external, but could not be found. You need to create a"
            + " swarm-scoped network before the stack is deployed\n";

    @Test
    void restAssuredsCountOfFailedExpectationsLeadsIntoTheExpectations() {
        String message = "1 expectation failed.\nResponse body doesn't match expectation.\n"
                + "Expected: a string containing \"99.9\"\n  Actual: 2.1\n";

        assertThat(FailureText.firstMeaningfulLine(message))
                .isEqualTo("1 expectation failed. Response body doesn't match expectation."
                        + " Expected: a string containing \"99.9\" Actual: 2.1");
        assertThat(FailureText.firstMeaningfulLine("2 expectations failed.\nExpected status code <200> but was <404>."))
                .endsWith("Expected status code <200> but was <404>.");
    }

    @Test
    void dockersDetachNoticeIsSkippedAndTheErrorAfterItIsTheLine() {
        assertThat(FailureText.firstMeaningfulLine(MISSING_NETWORK))
                .startsWith("network \"envt-missing-net-x1\" is declared as external, but could not be found.");
        assertThat(FailureText.withoutNotices(MISSING_NETWORK))
                .doesNotContain("--detach")
                .contains("could not be found");
    }

    @Test
    void anAssertjMessageStartingWithALineBreakGivesItsRealTextFolded() {
        Throwable equal = catchThrowable(() -> assertThat(200).isEqualTo(404));
        assertThat(equal.getMessage()).startsWith("\n");

        String line = FailureText.firstMeaningfulLine(equal);

        assertThat(line).isNotBlank().contains("404").contains("200").doesNotContain("\n");
    }

    @Test
    void anAssertjMessageWithADescriptionKeepsTheDescriptionAndTheText() {
        Throwable described =
                catchThrowable(() -> assertThat(List.of("a")).as("health").contains("b"));

        String line = FailureText.firstMeaningfulLine(described);

        assertThat(line).startsWith("[health]").contains("\"b\"").doesNotContain("\n");
    }

    @Test
    void aLineThatLeadsInTakesTheFollowingLinesWithIt() {
        assertThat(FailureText.firstMeaningfulLine("`docker stack deploy` exited with 1 after 93 ms:\n    boom\n"))
                .isEqualTo("`docker stack deploy` exited with 1 after 93 ms: boom");
    }

    @Test
    void aSentenceOnTheFirstLineStandsAloneAndTheRestStaysForTheReport() {
        String message = "task a_app.1 of stack a failed: task: non-zero exit (1)\ntasks:\nID NAME\nx a_app.1";

        assertThat(FailureText.firstMeaningfulLine(message))
                .isEqualTo("task a_app.1 of stack a failed: task: non-zero" + " exit (1)");
        assertThat(FailureText.whole(new AssertionError(message))).isEqualTo(message);
    }

    @Test
    void blankOrMissingMessagesGiveTheExceptionsName() {
        assertThat(FailureText.firstMeaningfulLine(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(FailureText.firstMeaningfulLine(new IllegalStateException("  \n\n")))
                .isEqualTo("IllegalStateException");
        assertThat(FailureText.firstMeaningfulLine(new IllegalStateException(
                        "Since --detach=false was not specified, tasks will be created in the background.")))
                .isEqualTo("IllegalStateException");
        assertThat(FailureText.firstMeaningfulLine((String) null)).isEmpty();
    }

    @Test
    void aFoldedLineIsCutAtTheLimit() {
        String line = FailureText.firstMeaningfulLine("\n" + "x".repeat(200) + "\n" + "y".repeat(200));

        assertThat(line).hasSize(FailureText.MAX_LINE + 1).endsWith("…");
    }

    @Test
    void deprecatedOptionsBlockIsANoticeUpToItsBlankLine() {
        String stderr =
                "Ignoring deprecated options:\n\ncontainer_name: Setting the container name is not supported.\n\n"
                        + "failed to create service a_app: Error response from daemon: rpc error: code = InvalidArgument\n";

        assertThat(FailureText.firstMeaningfulLine(stderr)).startsWith("failed to create service a_app");
    }

    @Test
    void stackDeployProgressLinesAreNoReason() {
        String stdout = "Creating network a_default\nCreating service a_app\n";

        assertThat(FailureText.firstMeaningfulLine(stdout)).isEmpty();
        assertThat(FailureText.isNotice("Updating service a_app (id: 4x1f)")).isTrue();
        assertThat(FailureText.isNotice("failed to update service a_app")).isFalse();
    }
}

package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What JUnit's launcher warnings look like on a run's console once the run has taken them over. */
class ListenerFailuresTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Logger junit = Logger.getLogger("org.junit.platform.launcher.core");

    @AfterEach
    void giveTheLoggerBack() {
        junit.setUseParentHandlers(true);
        for (var h : junit.getHandlers()) {
            junit.removeHandler(h);
        }
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void discoveryIssuesOfSeverityInfoAreNotShown() {
        ListenerFailures.install(new PrintStream(printed, true, StandardCharsets.UTF_8));
        junit.log(
                Level.INFO,
                "TestEngine with ID 'junit-jupiter' encountered 9 non-critical issues during test"
                        + " discovery:\n\n(1) [INFO] Ineffective @Order annotation on class 'x.FaultMatrixIT'.");
        assertThat(printed()).isEmpty();
    }

    @Test
    void aWarningIsShownWhole_once_andNotAsAnIncompleteReport() {
        ListenerFailures.install(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String warning = "TestEngine with ID 'junit-jupiter' encountered 1 non-critical issue during test discovery:"
                + "\n\n(1) [WARNING] @Test method 'int x()' must not return a value.";
        junit.log(Level.WARNING, warning);
        junit.log(Level.WARNING, warning);
        assertThat(printed().lines())
                .containsExactly(
                        "[recipe-ci] !! JUnit: TestEngine with ID 'junit-jupiter' encountered 1 non-critical issue"
                                + " during test discovery:",
                        "[recipe-ci] !! JUnit: (1) [WARNING] @Test method 'int x()' must not return a value.");
    }

    @Test
    void aWarningWithATraceShowsItsWordsAndItsCause_notTheTrace() {
        ListenerFailures.install(new PrintStream(printed, true, StandardCharsets.UTF_8));
        junit.log(
                Level.WARNING,
                "TestEngine with ID 'junit-jupiter' encountered 1 non-critical issue during test discovery:\n\n"
                        + "(1) [WARNING] Could not load class 'x.Y'.\n    Source: ClassSource [className = 'x.Y']\n"
                        + "    Cause: java.lang.NoClassDefFoundError: z/W\n\tat x.Y.<clinit>(Y.java:3)\n"
                        + "\t... 12 more",
                new NoClassDefFoundError("z/W"));
        assertThat(printed().lines())
                .containsExactly(
                        "[recipe-ci] !! JUnit: TestEngine with ID 'junit-jupiter' encountered 1 non-critical issue"
                                + " during test discovery:",
                        "[recipe-ci] !! JUnit: (1) [WARNING] Could not load class 'x.Y'.",
                        "[recipe-ci] !! JUnit: Source: ClassSource [className = 'x.Y']",
                        "[recipe-ci] !! JUnit: NoClassDefFoundError: z/W");
    }

    @Test
    void anotherKindOfListenerIsNamedAsSuch_withItsCause() {
        ListenerFailures.install(new PrintStream(printed, true, StandardCharsets.UTF_8));
        junit.log(
                Level.WARNING,
                "LauncherSessionListener [org.example.Session] threw exception for method: launcherSessionOpened",
                new IllegalStateException("boom"));
        assertThat(printed().lines())
                .containsExactly("[recipe-ci] !! the JUnit LauncherSessionListener org.example.Session failed:"
                        + " IllegalStateException: boom — said once, further failures of it are not shown");
    }

    @Test
    void aFailingListenerIsOneLineWithItsRootCause_saidOnce() {
        ListenerFailures.install(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Exception full = new UncheckedIOException(new IOException("No space left on device"));
        for (int i = 0; i < 3; i++) {
            junit.log(
                    Level.WARNING,
                    "TestExecutionListener [org.example.XmlReport] threw exception for method: executionFinished",
                    full);
        }
        assertThat(printed().lines())
                .containsExactly("[recipe-ci] !! the report listener org.example.XmlReport failed: IOException: No"
                        + " space left on device — its report is incomplete; said once, further failures of it are"
                        + " not shown");
    }
}

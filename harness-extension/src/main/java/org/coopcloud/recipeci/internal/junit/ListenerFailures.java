package org.coopcloud.recipeci.internal.junit;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JUnit logs a test execution listener that throws — a report writer on a full disk — with its whole stack trace,
 * once per event: hundreds of lines on the console of a run whose host failed. The run says it in one line per
 * listener instead (the listener's report is incomplete; the run goes on, and its results are written from reserved
 * room). {@link #withoutTraces} does the same for a listener that prints its own failures.
 */
final class ListenerFailures extends Handler {
    /** JUnit's launcher logs through java.util.logging under its class names. */
    private static final String LOGGER = "org.junit.platform.launcher.core";

    /** "TestExecutionListener [x.Y] threw exception for method: …", and the same of JUnit's other listener kinds. */
    private static final Pattern LISTENER = Pattern.compile("(\\w*Listener) \\[([\\w.$]+)\\] threw");
    /** Held here: java.util.logging keeps only weak references to its loggers, and the setting would be lost. */
    private static Logger junitLauncher;

    private final PrintStream out;
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    private ListenerFailures(PrintStream out) {
        this.out = out;
        // JUnit logs discovery issues of severity INFO (an @Order where no orderer reads it, on a class the run does
        // not even select) at INFO: not the run's business. Its warnings are.
        setLevel(Level.WARNING);
    }

    /** From now on JUnit's launcher warnings go to {@code out} as one line per listener (or message), no trace. */
    static synchronized void install(PrintStream out) {
        junitLauncher = Logger.getLogger(LOGGER);
        junitLauncher.setUseParentHandlers(false);
        for (Handler h : junitLauncher.getHandlers()) {
            junitLauncher.removeHandler(h);
        }
        junitLauncher.addHandler(new ListenerFailures(out));
    }

    /**
     * A writer for a listener that prints its own failures with their traces (the legacy XML report's "Could not write
     * XML report"): the message and the exception's own line pass, the trace's lines do not.
     */
    static PrintWriter withoutTraces(PrintStream out) {
        return new PrintWriter(out, true) {
            @Override
            public void println(Object line) {
                println(String.valueOf(line)); // Throwable.printStackTrace prints each line as an Object
            }

            @Override
            public void println(String line) {
                String s = String.valueOf(line);
                if (!(s.startsWith("\tat ")
                        || s.startsWith("\t... ")
                        || s.startsWith("Caused by: ")
                        || s.startsWith("\tCaused by: ")
                        || s.startsWith("\tSuppressed: "))) {
                    super.println(s);
                }
            }
        };
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String message = String.valueOf(record.getMessage());
        Matcher listener = LISTENER.matcher(message);
        if (!listener.find()) {
            // Not a listener's failure (a discovery issue in a tier class, say): JUnit's own words, once, without the
            // stack traces JUnit adds to them.
            if (said.add(message)) {
                message.lines()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty() && !isTraceLine(line))
                        .forEach(line -> out.println("[recipe-ci] !! JUnit: " + line));
                rootCause(record).ifPresent(root -> out.println("[recipe-ci] !! JUnit: " + describe(root)));
            }
            return;
        }
        String who = listener.group(2);
        if (!said.add(who)) {
            return;
        }
        String cause = rootCause(record).map(root -> ": " + describe(root)).orElse("");
        out.println(
                "TestExecutionListener".equals(listener.group(1))
                        ? "[recipe-ci] !! the report listener " + who + " failed" + cause
                                + " — its report is incomplete; said once, further failures of it are not shown"
                        : "[recipe-ci] !! the JUnit " + listener.group(1) + " " + who + " failed" + cause
                                + " — said once, further failures of it are not shown");
    }

    private static Optional<Throwable> rootCause(LogRecord record) {
        Throwable root = record.getThrown();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Optional.ofNullable(root);
    }

    private static String describe(Throwable root) {
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static boolean isTraceLine(String stripped) {
        return stripped.startsWith("at ")
                || stripped.startsWith("Caused by: ")
                || stripped.startsWith("Suppressed: ")
                || stripped.matches("\\.\\.\\. \\d+ more")
                || stripped.startsWith("Cause: ");
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {}
}

package org.coopcloud.recipeci.internal.process;

import java.time.Duration;
import java.util.Arrays;
import org.coopcloud.recipeci.internal.text.FailureText;

/**
 * What a finished command left behind. {@code exitCode} is -1 when the child was killed on timeout or could not
 * start; {@code timedOut} tells the first case apart.
 */
public record CommandResult(
        Command command, int exitCode, String stdout, String stderr, boolean timedOut, Duration duration) {
    private static final int TAIL_LINES = 15;

    /** Exit code is one of the command's accepted codes and the command did not time out. */
    public boolean ok() {
        return !timedOut && command.okExitCodes().contains(exitCode);
    }

    /** Throws {@link CommandFailedException} unless {@link #ok()}; returns this for chaining. */
    public CommandResult orThrow() {
        if (!ok()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    /**
     * A few lines for a failure message: command, outcome and the tail of stderr (or stdout when stderr says
     * nothing), without the notices that are no errors.
     */
    public String describe() {
        String outcome = timedOut
                ? "timed out (limit " + command.timeout().toMillis() + " ms; process group killed)"
                : "exited with " + exitCode;
        String tail = tail(said());
        return "`" + command.display() + "` " + outcome + " after " + duration.toMillis() + " ms"
                + (tail.isBlank() ? "" : ":\n" + tail.indent(4).stripTrailing());
    }

    /**
     * For a failure message that leads with the cause: the command's own first meaningful line ({@link #firstLine}),
     * then {@link #describe}.
     */
    public String failure() {
        return firstLine() + "\n" + describe();
    }

    /**
     * The first meaningful line of stderr (else stdout; see {@link FailureText}), or the outcome when neither says
     * anything: for one-line messages.
     */
    public String firstLine() {
        String line = FailureText.firstMeaningfulLine(said());
        return !line.isEmpty() ? line : timedOut ? "timed out" : "exit " + exitCode;
    }

    /** What the command said, notices dropped: stderr, else stdout. */
    private String said() {
        String err = FailureText.withoutNotices(stderr);
        return err.isBlank() ? FailureText.withoutNotices(stdout) : err;
    }

    static String tail(String text) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - TAIL_LINES);
        return String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
    }
}

package org.coopcloud.recipeci.internal.process;

import java.time.Duration;
import java.util.Arrays;

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

    /** A few lines for a failure message: command, outcome and the tail of stderr (or stdout when stderr is empty). */
    public String describe() {
        String outcome = timedOut
                ? "timed out (limit " + command.timeout().toMillis() + " ms; process group killed)"
                : "exited with " + exitCode;
        String tail = tail(stderr.isBlank() ? stdout : stderr);
        return "`" + command.display() + "` " + outcome + " after " + duration.toMillis() + " ms"
                + (tail.isBlank() ? "" : ":\n" + tail.indent(4).stripTrailing());
    }

    /** The first line of stderr (else stdout), or the outcome when both are empty: for one-line messages. */
    public String firstLine() {
        String text = stderr.isBlank() ? stdout : stderr;
        return text.strip().lines().findFirst().orElse(timedOut ? "timed out" : "exit " + exitCode);
    }

    static String tail(String text) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - TAIL_LINES);
        return String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
    }
}

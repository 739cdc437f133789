package org.coopcloud.recipeci.internal.report.gitea;

import java.net.URI;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.internal.report.RunResults;

/**
 * The one comment a run leaves on its pull request: a hidden marker that names the run, then the run's
 * {@code summary.md} (level, cap reason, rung table, flags, run id), why it was stopped if it was, and the link to
 * the build. The marker is how a later report of the same run finds the comment to update instead of adding one.
 */
final class PullRequestComment {
    /** Gitea keeps comment bodies as long text; this bound only keeps a runaway reason from filling a page. */
    static final int MAX_LENGTH = 60_000;

    private PullRequestComment() {}

    /** The first line of the comment: invisible in the rendered Markdown, unique per context and run. */
    static String marker(String context, RunId runId) {
        // An HTML comment's text may hold no "--": a space after every dash that precedes one.
        return "<!-- recipe-ci context=" + context.replaceAll("-(?=-)", "- ") + " run=" + runId + " -->";
    }

    /**
     * @param notTheHead why the status is not on the pull request's head, when it is not
     * @param redact applied to everything but the marker (generated secrets and the token never reach Gitea)
     */
    static String body(
            String context,
            RunResults results,
            Optional<String> stopped,
            Optional<String> notTheHead,
            Optional<URI> buildUrl,
            UnaryOperator<String> redact) {
        StringBuilder text = new StringBuilder(results.markdown());
        stopped.ifPresent(why -> text.append("\n**Stopped:** ").append(why).append('\n'));
        notTheHead.ifPresent(note ->
                text.append("\n**Not the pull request's head:** ").append(note).append('\n'));
        text.append('\n')
                .append(buildUrl.map(u -> "[Build log](" + u + ")")
                        .orElse("No build link (set recipeci.build-url or run under Drone)."))
                .append('\n');
        String shown = redact.apply(text.toString());
        if (shown.length() > MAX_LENGTH) {
            // Not between the two halves of a character outside the BMP: a lone surrogate is no UTF-8.
            int cut = Character.isHighSurrogate(shown.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
            shown = shown.substring(0, cut) + "\n\n… (cut; the full summary is summary.md in the run directory)\n";
        }
        return marker(context, results.config().runId()) + "\n" + shown;
    }

    /** Whether {@code body} is the comment of this context and run. */
    static boolean isOf(String body, String context, RunId runId) {
        return body.startsWith(marker(context, runId));
    }
}

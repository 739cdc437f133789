package org.coopcloud.recipeci.internal.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Failure text for the places that show one line (console FAIL lines, {@code results.json} reasons, the summary
 * table) and for those that show it whole. One line is the first line that says something: blank lines and the
 * notices tools print that are no errors (docker's {@code --detach} notice) are skipped, and a line that only leads
 * in to what follows — AssertJ's messages start with a line break, {@code expected: 404} then {@code but was: 200} on
 * the next line; a line ending in ':'; rest-assured's {@code 1 expectation failed.} — takes the following lines with
 * it, folded into one.
 */
public final class FailureText {
    /** A folded line is cut here: it is one line of a table or a console, the whole text is in the report. */
    public static final int MAX_LINE = 300;

    /** Lines docker prints on stderr or stdout that are no error. */
    private static final List<Pattern> NOTICES = List.of(
            Pattern.compile(
                    "Since --detach=false was not specified, tasks will be (created|updated) in the background\\.?"),
            Pattern.compile("In a future release, --detach=false will become the default\\.?"),
            Pattern.compile("Ignoring unsupported options: .*"),
            Pattern.compile("(Creating|Updating|Removing) (network|service|config|secret) \\S+( \\(id: \\S+\\))?"),
            Pattern.compile("image .* could not be accessed on a registry to record\\s*"),
            Pattern.compile("its digest\\. Each node will access .* independently,\\s*"),
            Pattern.compile("possibly leading to different nodes running different\\s*"),
            Pattern.compile("versions of the image\\.\\s*"));

    /** A notice that runs to the next blank line after its first item ({@code docker stack deploy}). */
    private static final Pattern BLOCK_NOTICE = Pattern.compile("Ignoring deprecated options:\\s*");

    private static final Pattern DESCRIPTION_ONLY = Pattern.compile("\\[[^\\]]*\\]\\s*");

    /** rest-assured's first line, the expectations themselves on the lines after it. */
    private static final Pattern EXPECTATIONS_FAILED = Pattern.compile("\\d+ expectations? failed\\.");

    private FailureText() {}

    /** Whether {@code line} is a notice a tool printed that is no error. */
    public static boolean isNotice(String line) {
        String stripped = line.strip();
        return NOTICES.stream().anyMatch(p -> p.matcher(stripped).matches());
    }

    /** {@code text} without the notices that are no errors, and without leading and trailing blank lines. */
    public static String withoutNotices(String text) {
        if (text == null) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        boolean inBlock = false;
        boolean blockHasItems = false;
        for (String line : text.split("\\R", -1)) {
            if (inBlock) {
                if (line.isBlank() && blockHasItems) {
                    inBlock = false;
                } else if (!line.isBlank()) {
                    blockHasItems = true;
                }
                continue;
            }
            if (BLOCK_NOTICE.matcher(line.strip()).matches()) {
                inBlock = true;
                blockHasItems = false;
                continue;
            }
            if (!isNotice(line)) {
                kept.add(line.stripTrailing());
            }
        }
        return String.join("\n", kept).strip();
    }

    /**
     * The first line of {@code text} that says something, folded with what follows it when it only leads in; empty
     * when there is none.
     */
    public static String firstMeaningfulLine(String text) {
        if (text == null) {
            return "";
        }
        boolean startsWithBreak =
                text.startsWith("\n") || text.startsWith("\r") || startsWithDescriptionThenBreak(text);
        List<String> lines = withoutNotices(text)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        if (lines.isEmpty()) {
            return "";
        }
        String first = lines.get(0);
        boolean leadIn = startsWithBreak
                || first.endsWith(":")
                || DESCRIPTION_ONLY.matcher(first).matches()
                || EXPECTATIONS_FAILED.matcher(first).matches();
        if (!leadIn || lines.size() == 1) {
            return cut(first);
        }
        StringBuilder folded = new StringBuilder(first);
        for (int i = 1; i < lines.size() && folded.length() < MAX_LINE; i++) {
            folded.append(' ').append(lines.get(i));
        }
        return cut(folded.toString());
    }

    /**
     * The one-line reason of a failure: the first meaningful line of its message, else the exception's simple name
     * (a message that is null, blank or only notices says nothing).
     */
    public static String firstMeaningfulLine(Throwable failure) {
        String line = firstMeaningfulLine(failure.getMessage());
        return line.isEmpty() ? failure.getClass().getSimpleName() : line;
    }

    /** The whole text of a failure for a report: its message without notices, else the exception's simple name. */
    public static String whole(Throwable failure) {
        String text = withoutNotices(failure.getMessage());
        return text.isEmpty() ? failure.getClass().getSimpleName() : text;
    }

    private static boolean startsWithDescriptionThenBreak(String text) {
        int end = text.indexOf('\n');
        return end > 0 && DESCRIPTION_ONLY.matcher(text.substring(0, end)).matches();
    }

    private static String cut(String line) {
        if (line.length() <= MAX_LINE) {
            return line;
        }
        int at = Character.isHighSurrogate(line.charAt(MAX_LINE - 1)) ? MAX_LINE - 1 : MAX_LINE;
        return line.substring(0, at) + "…";
    }
}

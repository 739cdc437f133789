package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata block of a recipe's {@code README.md}, as the Co-op Cloud catalogue reads it: the lines
 * {@code * **Key**: value} between {@code <!-- metadata -->} and {@code <!-- endmetadata -->}.
 */
final class ReadmeMetadata {
    private static final Pattern ENTRY = Pattern.compile("^\\s*[*-]\\s*\\*\\*([^*]+)\\*\\*\\s*:?(.*)$");

    private ReadmeMetadata() {}

    /** Key to value (trimmed, possibly empty); empty when there is no metadata block. */
    static Map<String, String> parse(String readme) {
        Map<String, String> entries = new LinkedHashMap<>();
        boolean inside = false;
        for (String line : readme.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.equals("<!-- metadata -->")) {
                inside = true;
            } else if (trimmed.equals("<!-- endmetadata -->")) {
                break;
            } else if (inside) {
                Matcher m = ENTRY.matcher(line);
                if (m.matches()) {
                    entries.put(
                            m.group(1).strip().replaceAll(":$", ""), m.group(2).strip());
                }
            }
        }
        return entries;
    }
}

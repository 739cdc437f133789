package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/**
 * A lint rule the recipe does not satisfy.
 *
 * @param rule abra's id of the rule, e.g. {@code R014}
 * @param description abra's description of the rule, e.g. "only annotated tags used for recipe version"
 * @param problems what exactly is wrong, each naming the file, service or tag
 * @param fix one line saying how to satisfy the rule
 */
public record Finding(String rule, Severity severity, String description, List<String> problems, String fix) {
    public Finding {
        problems = List.copyOf(problems);
    }

    /** "R014 only annotated tags used for recipe version: tag v2.4.8 is lightweight" (the fix is {@link #fix}). */
    public String oneLine() {
        return rule + " " + description + ": " + String.join("; ", problems);
    }
}

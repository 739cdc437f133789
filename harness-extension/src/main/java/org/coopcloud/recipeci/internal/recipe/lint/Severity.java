package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.Locale;

/** The level abra gives a lint rule: an unsatisfied {@code error} rule fails the L5 rung, a {@code warn} rule does not. */
public enum Severity {
    WARN,
    ERROR;

    /** abra's word for it: {@code warn} or {@code error}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

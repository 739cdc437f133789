package org.coopcloud.recipeci;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies one run: the CI build number, or {@code manual-<pid>} for a hand run. Names the run's directory and
 * every run-scoped state file.
 */
public record RunId(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public RunId {
        Objects.requireNonNull(value, "run id");
        if (!VALID.matcher(value).matches()) {
            throw new RecipeConfigurationException("run id '" + value + "' is not usable as a directory name: use"
                    + " letters, digits, '.', '_' and '-' (at most 64), e.g. the CI build number");
        }
    }

    /** The id of a run started by hand: {@code manual-<pid>}. */
    public static RunId manual() {
        return new RunId("manual-" + ProcessHandle.current().pid());
    }

    @Override
    public String toString() {
        return value;
    }
}

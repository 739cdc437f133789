package org.coopcloud.recipeci;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Co-op Cloud recipe version: {@code <recipe semver>+<upstream version>}, e.g. {@code 1.1.0+2.1}. The part after
 * '+' is optional. Versions are the git tags of a recipe repository.
 */
public record Version(String value) {
    private static final Pattern VALID = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:\\+[A-Za-z0-9._-]+)?");

    public Version {
        Objects.requireNonNull(value, "version");
        if (!VALID.matcher(value).matches()) {
            throw new RecipeConfigurationException("'" + value + "' is not a recipe version: use"
                    + " <major>.<minor>.<patch>+<upstream version>, as the recipe's git tags are (e.g. '1.1.0+2.1')");
        }
    }

    /** True when {@code candidate} has the shape of a version (no exception). */
    public static boolean isVersion(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}

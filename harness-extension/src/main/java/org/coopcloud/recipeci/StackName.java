package org.coopcloud.recipeci;

import java.util.Objects;
import java.util.regex.Pattern;

/** A Docker Swarm stack name as Co-op Cloud derives it from an app domain, e.g. {@code hell-1a2b3c_ci_example_org}. */
public record StackName(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,199}");

    public StackName {
        Objects.requireNonNull(value, "stack name");
        if (!VALID.matcher(value).matches()) {
            throw new RecipeConfigurationException("'" + value + "' is not a stack name: use lowercase letters,"
                    + " digits, '_' and '-' (derive it from the app domain)");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}

package org.coopcloud.recipeci;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The domain of a deployed app, e.g. {@code hell-1a2b3c.ci.commoninternet.net}: lowercase DNS labels separated by
 * dots. Everything a run creates on the swarm is named after it (see {@link #stackName()}).
 */
public record AppDomain(String value) {
    private static final Pattern VALID = Pattern.compile(
            "(?=.{1,200}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    public AppDomain {
        Objects.requireNonNull(value, "app domain");
        if (!VALID.matcher(value).matches()) {
            throw new RecipeConfigurationException("'" + value + "' is not a usable app domain: use at least two"
                    + " dot-separated lowercase labels of letters, digits and '-' (e.g. 'hello.ci.example.org')");
        }
    }

    /** The swarm stack name Co-op Cloud derives from the domain: dots become underscores. */
    public StackName stackName() {
        return new StackName(value.replace('.', '_'));
    }

    @Override
    public String toString() {
        return value;
    }
}

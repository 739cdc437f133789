package org.coopcloud.recipeci;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a Co-op Cloud recipe, e.g. {@code plausible}: lowercase letters, digits and '-', starting and ending
 * with a letter or digit, at most 63 characters.
 *
 * @throws RecipeConfigurationException from the constructor when the name breaks that rule
 */
public record RecipeName(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public RecipeName {
        Objects.requireNonNull(value, "recipe name");
        if (value.length() > 63) {
            throw new RecipeConfigurationException("recipe name '" + value + "' is " + value.length()
                    + " characters long: a recipe name has at most 63 (it becomes part of DNS labels)");
        }
        if (!VALID.matcher(value).matches()) {
            String hint = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
            throw new RecipeConfigurationException("recipe '" + value + "' is not a valid recipe name: use lowercase"
                    + " letters, digits and '-', starting and ending with a letter or digit (e.g. '"
                    + (VALID.matcher(hint).matches() ? hint : "plausible") + "')");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}

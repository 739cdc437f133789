package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;

/**
 * R015 (warn): no secret's key is longer than 12 characters. Its swarm name is
 * {@code <stack>_<key>_<version>}, at most 64 characters, and the stack name takes up to 45 of them.
 */
final class R015SecretNameLengths extends AbraRule {
    static final int LIMIT = 12;

    R015SecretNameLengths() {
        super(
                "R015",
                Severity.WARN,
                "long secret names",
                "shorten each secret key named to 12 characters or fewer (in secrets: and in every service using it)");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        return recipe.compose().secrets().stream()
                .filter(name -> name.length() > LIMIT)
                .map(name -> "secret '" + name + "' is " + name.length() + " characters")
                .toList();
    }
}

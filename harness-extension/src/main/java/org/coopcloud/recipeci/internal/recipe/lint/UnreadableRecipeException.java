package org.coopcloud.recipeci.internal.recipe.lint;

/** The recipe cannot be linted at all (abra: "unable to validate recipe"); the message says why and how to fix it. */
final class UnreadableRecipeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableRecipeException(String message) {
        super(message);
    }
}

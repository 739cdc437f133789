package org.coopcloud.recipeci.internal.lifetime;

import org.coopcloud.recipeci.RecipeCiException;

/**
 * The run was stopped — a signal, the deadline, the JVM shutting down — while it was doing something; what it was
 * doing did not fail. Says nothing about the recipe: its tiers are unverified.
 */
public class RunStoppedException extends RecipeCiException {
    private static final long serialVersionUID = 1L;

    public RunStoppedException(String message) {
        super(message);
    }

    public RunStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}

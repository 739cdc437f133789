package org.coopcloud.recipeci.internal.process;

import org.coopcloud.recipeci.RecipeCiException;

/** A command the harness needed did not succeed. Carries the whole {@link CommandResult}. */
public class CommandFailedException extends RecipeCiException {
    private static final long serialVersionUID = 1L;
    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(result.describe());
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}

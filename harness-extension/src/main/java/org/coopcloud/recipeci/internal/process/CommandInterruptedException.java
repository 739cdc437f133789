package org.coopcloud.recipeci.internal.process;

import org.coopcloud.recipeci.RecipeCiException;

/**
 * The thread waiting for a command was interrupted (SIGTERM, deadline): the child's process group has been killed
 * and reaped, and the interrupt flag is set again.
 */
public class CommandInterruptedException extends RecipeCiException {
    private static final long serialVersionUID = 1L;

    public CommandInterruptedException(Command command) {
        super("interrupted while running `" + command.display() + "`; its process group was killed");
    }
}

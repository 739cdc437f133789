package org.coopcloud.recipeci.internal.testsupport;

import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/** Prints the environment a child of {@link CommandRunner} gets: {@code CommandEnvMain}, then {@code env}'s lines. */
public final class CommandEnvMain {
    private CommandEnvMain() {}

    public static void main(String[] args) {
        System.out.print(new CommandRunner().run(Command.of("env")).stdout());
        System.out.flush();
    }
}

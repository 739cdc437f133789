package org.coopcloud.recipeci.internal.testsupport;

import java.time.Duration;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * Runs one long command through the real runner: {@code RunnerHolderMain <pid file> [<grandchild pid file>]}; the
 * command writes its pid, and with a second file starts a grandchild of its own (as docker's CLI starts its plugins)
 * and writes that one's pid.
 */
public final class RunnerHolderMain {
    private RunnerHolderMain() {}

    public static void main(String[] args) {
        Command command = args.length > 1
                ? Command.of("sh", "-c", "sleep 300 & echo $! > \"$1\"; echo $$ > \"$0\"; wait", args[0], args[1])
                : Command.of("sh", "-c", "echo $$ > \"$0\"; exec sleep 300", args[0]);
        new CommandRunner().run(command.withTimeout(Duration.ofMinutes(10)));
    }
}

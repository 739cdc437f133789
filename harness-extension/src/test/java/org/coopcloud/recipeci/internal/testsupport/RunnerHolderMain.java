package org.coopcloud.recipeci.internal.testsupport;

import java.time.Duration;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/** Runs one long command through the real runner: {@code RunnerHolderMain <pid file>}; the command writes its pid. */
public final class RunnerHolderMain {
    private RunnerHolderMain() {}

    public static void main(String[] args) {
        new CommandRunner()
                .run(Command.of("sh", "-c", "echo $$ > \"$0\"; exec sleep 300", args[0])
                        .withTimeout(Duration.ofMinutes(10)));
    }
}

package org.coopcloud.recipeci.internal.testsupport;

import java.util.Map;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * Prints what a child of the real runner sees of the harness's tokens, once plainly and once when the command hands
 * the git token over: {@code plain: git=… gitea=…} and {@code handed: git=…}.
 */
public final class TokenEnvMain {
    private TokenEnvMain() {}

    public static void main(String[] args) {
        CommandRunner runner = new CommandRunner();
        String show = "echo \"$0 git=${RECIPECI_GIT_TOKEN-absent} gitea=${RECIPECI_GITEA_TOKEN-absent}\"";
        System.out.print(
                runner.run(Command.of("sh", "-c", show, "plain:")).orThrow().stdout());
        System.out.print(
                runner.run(Command.of("sh", "-c", show, "handed:").withEnv(Map.of("RECIPECI_GIT_TOKEN", "handed-over")))
                        .orThrow()
                        .stdout());
        System.out.flush();
    }
}

package org.coopcloud.recipeci.internal.deploy.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * Opens one app's bridge and holds it until killed: {@code EdgeHolderMain <edge base> <stack> <target>}. Prints
 * {@code BRIDGE <port>} once the edge's socket exists and the 127.0.0.1 port listens.
 */
public final class EdgeHolderMain {
    private EdgeHolderMain() {}

    public static void main(String[] args) throws Exception {
        EdgeBridge bridge = EdgeBridge.open(
                new DockerCli(new CommandRunner(), Map.of()),
                Path.of(args[0]),
                "edge-holder-" + ProcessHandle.current().pid(),
                List.of(),
                new StackName(args[1]),
                List.of(args[2]));
        System.out.println("BRIDGE " + bridge.port(args[2]));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

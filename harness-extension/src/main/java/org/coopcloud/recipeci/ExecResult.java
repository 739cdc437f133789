package org.coopcloud.recipeci;

/** What a command run inside one of the app's containers ({@link DeployedApp#exec}) left behind. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;

/**
 * What recipe-ci's child-process discipline costs per command: {@code CommandRunner} (a session of its own, PDEATHSIG
 * through setpriv, stdout/stderr captured, group reaped) against a bare {@link ProcessBuilder} start-and-wait of the
 * same program, measured in the same JVM. Run by {@code bench/run}; prints the ratio, not a verdict.
 */
public final class CommandSpawn {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        CommandRunner runner = new CommandRunner();
        Command command = Command.of("true").withTimeout(Duration.ofSeconds(10));
        // Warm both paths up: class loading and the first fork dominate otherwise.
        for (int i = 0; i < 20; i++) {
            bare();
            runner.run(command).orThrow();
        }
        long bareNanos = time(n, CommandSpawn::bare);
        long runnerNanos = time(n, () -> runner.run(command).orThrow());
        System.out.printf(
                "command spawn: bare ProcessBuilder %.2f ms/command, CommandRunner %.2f ms/command, ratio %.2fx"
                        + " (n=%d)%n",
                bareNanos / 1e6 / n, runnerNanos / 1e6 / n, (double) runnerNanos / bareNanos, n);
    }

    private static void bare() throws Exception {
        Process p = new ProcessBuilder("true").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("true did not exit 0");
        }
    }

    private static long time(int n, Step step) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            step.run();
        }
        return System.nanoTime() - start;
    }

    private interface Step {
        void run() throws Exception;
    }
}

package org.coopcloud.recipeci.internal.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.log.RunLog;

/**
 * Behaves like a harness run under the lifetime guards, for the real-kernel tests:
 * {@code GuardedRunMain <lock dir> <domain> <deadline millis> <teardown millis> <marker file>}.
 *
 * <ol>
 *   <li>prints {@code STARTED <pid> ppid=<ppid> sigint-ignored=<bool>} (the inherited SIGINT disposition, read from
 *       {@code /proc/self/status} before the guards touch it);
 *   <li>installs the guards ({@link Lifetime#install}); a refusal (orphaned) prints {@code REFUSED <message>} and
 *       exits 2;
 *   <li>takes the domain's app lock (interruptibly), prints {@code READY <pid>} and "runs" until interrupted;
 *   <li>the teardown funnel: {@code beginTeardown()}, appends {@code teardown-started} to the marker (and prints
 *       {@code TEARDOWN-STARTED}), spends {@code teardown millis} without stopping on interrupts, appends
 *       {@code teardown-done exit=<code>} (prints {@code TEARDOWN-DONE exit=<code>}), releases the lock and exits
 *       with the guards' exit code (0 when nothing cancelled the run).
 * </ol>
 */
public final class GuardedRunMain {
    private GuardedRunMain() {}

    public static void main(String[] args) {
        Path lockDir = Path.of(args[0]);
        AppDomain domain = new AppDomain(args[1]);
        Duration deadline = Duration.ofMillis(Long.parseLong(args[2]));
        long teardownMillis = Long.parseLong(args[3]);
        Path marker = Path.of(args[4]);

        ProcessHandle self = ProcessHandle.current();
        println("STARTED " + self.pid() + " ppid="
                + self.parent().map(p -> Long.toString(p.pid())).orElse("?") + " sigint-ignored=" + sigintIgnored());

        Thread main = Thread.currentThread();
        Lifetime lifetime;
        try {
            lifetime = Lifetime.install(deadline, GuardedRunMain::println, main::interrupt);
        } catch (RecipeConfigurationException e) {
            println("REFUSED " + e.getMessage());
            System.exit(2);
            return;
        }

        AppLock lock = null;
        int code;
        try {
            lock = AppLock.acquire(lockDir, domain, RunLog.consoleOnly());
            println("READY " + self.pid());
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException | AppLock.LockInterruptedException e) {
            println("INTERRUPTED " + e.getMessage());
        } finally {
            lifetime.beginTeardown();
            appendMarker(marker, "teardown-started");
            println("TEARDOWN-STARTED");
            spendUninterruptibly(teardownMillis);
            code = lifetime.exitOverride().orElse(0);
            appendMarker(marker, "teardown-done exit=" + code);
            println("TEARDOWN-DONE exit=" + code);
            if (lock != null) {
                lock.close();
            }
            lifetime.close();
        }
        System.exit(code);
    }

    /** Teardown's own waits: an interrupt (a late signal) must not cut them short. */
    private static void spendUninterruptibly(long millis) {
        long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        boolean interrupted = false;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, Math.min(50, left / 1_000_000)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            println("teardown was interrupted and carried on");
        }
    }

    /** Bit 2 (SIGINT) of the SigIgn mask in /proc/self/status. */
    private static String sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(
                            line.substring("SigIgn:".length()).trim(), 16);
                    return Boolean.toString((mask & (1L << (2 - 1))) != 0);
                }
            }
            return "unknown";
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
    }

    private static void appendMarker(Path marker, String line) {
        try {
            Files.writeString(
                    marker,
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void println(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

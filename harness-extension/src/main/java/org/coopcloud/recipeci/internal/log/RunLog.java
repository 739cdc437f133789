package org.coopcloud.recipeci.internal.log;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.coopcloud.recipeci.internal.process.CommandResult;

/**
 * The run's voice: progress lines on the console, prefixed with the time since the JVM started, mirrored into
 * {@code logs/run.log}; every finished command goes to {@code logs/commands.log} (argv never carries secrets).
 */
public final class RunLog {
    private static final long JVM_START = ManagementFactory.getRuntimeMXBean().getStartTime();

    private final PrintStream console;
    private final Optional<Path> logDir;
    private final UnaryOperator<String> redact;
    private final Set<String> unwritable = ConcurrentHashMap.newKeySet();

    public RunLog(PrintStream console, Optional<Path> logDir) {
        this(console, logDir, UnaryOperator.identity());
    }

    /** @param redact applied to every line before it is printed or written (hides generated secrets) */
    public RunLog(PrintStream console, Optional<Path> logDir, UnaryOperator<String> redact) {
        this.console = console;
        this.logDir = logDir;
        this.redact = redact;
    }

    /** A log that only prints; for tests and for code that runs before the run directory exists. */
    public static RunLog consoleOnly() {
        return new RunLog(System.out, Optional.empty());
    }

    public void info(String message) {
        String line = redact.apply("[recipe-ci " + clock() + "] " + message);
        console.println(line);
        console.flush();
        append("run.log", line);
    }

    /** A line for {@code run.log} only, not the console: timings and other details a reader of the run may want. */
    public void detail(String message) {
        append("run.log", "[recipe-ci " + clock() + "] " + message);
    }

    public void warn(String message) {
        info("!! " + message);
    }

    /** Records a finished command in the command log (not on the console). */
    public void command(CommandResult result) {
        append(
                "commands.log",
                clock() + " " + (result.timedOut() ? "TIMEOUT" : "exit " + result.exitCode()) + " "
                        + result.duration().toMillis() + "ms $ "
                        + result.command().display());
    }

    public Optional<Path> logDir() {
        return logDir;
    }

    /** Elapsed time since JVM start as m:ss. */
    public static String clock() {
        return format(Duration.ofMillis(System.currentTimeMillis() - JVM_START));
    }

    public static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    private synchronized void append(String file, String unredacted) {
        String line = redact.apply(unredacted);
        logDir.ifPresent(dir -> {
            try {
                Files.createDirectories(dir);
                Files.writeString(
                        dir.resolve(file),
                        line + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                // Once per file: on a full disk every later line would say the same.
                if (unwritable.add(file)) {
                    console.println("[recipe-ci] cannot write " + dir.resolve(file) + ": " + e.getMessage()
                            + " (the console keeps every line)");
                }
            }
        });
    }
}

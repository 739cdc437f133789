package org.coopcloud.recipeci.internal.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A helper process for the real-kernel tests: a tiny {@code main} class of the test sources in a JVM of its own.
 * Its output lines are collected as they come; {@link #close()} kills it (and anything in its group) and reaps it.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    all.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** The java command line that runs {@code main} with the test classpath. */
    public static List<String> command(Class<?> main, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath(),
                main.getName()));
        argv.addAll(List.of(args));
        return argv;
    }

    public static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    public static ChildJvm start(Class<?> main, String... args) throws IOException {
        return start(Map.of(), command(main, args));
    }

    /** Starts any argv (e.g. a shell wrapping a JVM) with stderr merged into the collected output. */
    public static ChildJvm start(Map<String, String> env, List<String> argv) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new ChildJvm(builder.start());
    }

    /** Waits for an output line starting with {@code prefix} and returns it. */
    public String awaitLine(String prefix, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (all) {
            for (String line : all) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(1, left), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && System.nanoTime() >= deadline) {
                throw new AssertionError(
                        "no line starting with '" + prefix + "' within " + limit + "; output so far:\n" + output());
            }
        }
    }

    /** Waits for an output line containing {@code fragment} anywhere (log lines carry a timestamp prefix). */
    public String awaitLineContaining(String fragment, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (all) {
            for (String line : all) {
                if (line.contains(fragment)) {
                    return line;
                }
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(1, left), TimeUnit.NANOSECONDS);
            if (line != null && line.contains(fragment)) {
                return line;
            }
            if (line == null && System.nanoTime() >= deadline) {
                throw new AssertionError(
                        "no line containing '" + fragment + "' within " + limit + "; output so far:\n" + output());
            }
        }
    }

    /** An argv as one POSIX shell word list, each word single-quoted (for {@code sh -c} wrappers). */
    public static String shellQuote(List<String> argv) {
        StringBuilder out = new StringBuilder();
        for (String word : argv) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return out.toString();
    }

    public String output() {
        synchronized (all) {
            return String.join("\n", all);
        }
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Waits for exit and returns the exit code. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child " + pid() + " did not exit within " + limit + "; output:\n" + output());
        }
        // Its last lines may still be in the pipe: output() after this holds everything it printed (a grandchild
        // that kept the pipe open is not waited for long).
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}

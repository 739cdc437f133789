package org.coopcloud.recipeci.recipes.hello;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One run of the CI entrypoint in a child JVM, held at arm's length: started in the background, its output collected
 * line by line, signalled, and waited for — also when it is not this JVM's child any more (a parent-death run starts
 * under a shell that the test kills; the harness then belongs to init, and its pid and exit code come from its run
 * directory).
 */
final class HarnessRun implements AutoCloseable {
    /** Flags that make a child JVM cheaper to start: these runs are many, and the machine has two cores. */
    static final List<String> LEAN_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private final Path runDir;
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;
    private final boolean underShell;
    private long signalledAt;

    private HarnessRun(Path runDir, Process process, boolean underShell) {
        this.runDir = runDir;
        this.process = process;
        this.underShell = underShell;
        this.reader = new Thread(this::read, "harness-run-output-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Describes a run before it starts. */
    static final class Spec {
        private final Path runs;
        private final String runId;
        private final List<String> properties = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean underShell;
        private List<String> wrapper = List.of();

        Spec(Path runs, String runId) {
            this.runs = runs;
            this.runId = runId;
        }

        Spec with(String... props) {
            properties.addAll(List.of(props));
            return this;
        }

        Spec env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Started by a shell of its own, which the test may kill: the harness's parent dies (PDEATHSIG). */
        Spec underAShell() {
            underShell = true;
            return this;
        }

        /**
         * Started by {@code wrapper} (e.g. a shell that mounts something first and then runs the rest of its arguments,
         * not by exec): signals and waits go to the wrapper's process.
         */
        Spec wrappedBy(List<String> wrapper) {
            this.wrapper = List.copyOf(wrapper);
            return this;
        }

        HarnessRun start() throws IOException {
            List<String> lean = RecipeCiProcess.argv(runs, runId, properties.toArray(String[]::new));
            List<String> command = lean;
            if (underShell) {
                // bash waits for the JVM as its child; killing bash leaves the JVM to init, and PDEATHSIG TERMs it.
                command = new ArrayList<>(List.of("bash", "-c", "\"$@\"; echo shell-done", "shell"));
                command.addAll(lean);
            }
            if (!wrapper.isEmpty()) {
                command = new ArrayList<>(wrapper);
                command.addAll(lean);
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            return new HarnessRun(runs.resolve(runId), builder.start(), underShell);
        }
    }

    static Spec of(Path runs, String runId) {
        return new Spec(runs, runId);
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            // the run is gone
        }
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    Path runDir() {
        return runDir;
    }

    /** The process this test started: the harness, its shell or its wrapper. */
    long pid() {
        return process.pid();
    }

    /** Waits for a line that contains {@code text}; empty when the run ended or the limit passed first. */
    Optional<String> awaitLine(String text, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (output) {
            while (true) {
                Optional<String> line =
                        output.toString().lines().filter(l -> l.contains(text)).findFirst();
                if (line.isPresent() || System.nanoTime() > end || (!harnessAlive() && !reader.isAlive())) {
                    return line;
                }
                output.wait(200);
            }
        }
    }

    /** The harness JVM's pid: the process itself, or (under a shell) what its run directory names. */
    OptionalInt harnessPid() {
        if (!underShell) {
            return OptionalInt.of(Math.toIntExact(process.pid()));
        }
        try {
            String pid = Files.readString(runDir.resolve("owner.pid")).strip();
            return pid.matches("\\d+") ? OptionalInt.of(Integer.parseInt(pid)) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    boolean harnessAlive() {
        if (!underShell) {
            return process.isAlive();
        }
        OptionalInt pid = harnessPid();
        return pid.isPresent() && isLive(pid.getAsInt()) || pid.isEmpty() && process.isAlive();
    }

    /** Sends {@code signal} (TERM, KILL, INT) to the harness JVM. */
    void signal(String signal) throws IOException, InterruptedException {
        signalledAt = System.nanoTime();
        kill(signal, harnessPid().orElseThrow());
    }

    /** The run was stopped now by something other than this test's signal (its deadline): time to exit counts from here. */
    void markStopped() {
        signalledAt = System.nanoTime();
    }

    /** SIGKILLs the shell the harness runs under: its parent dies. */
    void killParent() throws IOException, InterruptedException {
        signalledAt = System.nanoTime();
        kill("KILL", Math.toIntExact(process.pid()));
    }

    private static void kill(String signal, int pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Integer.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Waits until the harness is gone and returns how long it took since the signal; throws when it is still there
     * after {@code limit}.
     */
    Duration awaitGone(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (harnessAlive() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        if (harnessAlive()) {
            throw new AssertionError("the harness is still running " + limit + " after the signal:\n" + output());
        }
        if (!underShell) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return Duration.ofNanos(System.nanoTime() - (signalledAt == 0 ? end - limit.toNanos() : signalledAt));
    }

    /** The process's own exit code (not under a shell). */
    int exitValue() {
        return process.exitValue();
    }

    /** What {@code <run dir>/exit-code} says, if it exists. */
    OptionalInt recordedExitCode() {
        try {
            String code = Files.readString(runDir.resolve("exit-code")).strip();
            return code.matches("\\d+") ? OptionalInt.of(Integer.parseInt(code)) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /** The stack of the run's app, read from its progress lines (the first domain it names). */
    Optional<String> stack() {
        List<String> stacks = RecipeCiProcess.stacksIn(output());
        return stacks.isEmpty() ? Optional.empty() : Optional.of(stacks.get(0));
    }

    /** Alive and not a zombie, judged from /proc. */
    static boolean isLive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        OptionalInt pid = harnessPid();
        if (harnessAlive() && pid.isPresent()) {
            kill("KILL", pid.getAsInt());
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}

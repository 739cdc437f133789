package org.coopcloud.recipeci.internal.process;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.coopcloud.recipeci.internal.os.NativePosix;
import org.coopcloud.recipeci.internal.wait.Deadline;

/**
 * Runs every external command of a run. Each child starts in a session and process group of its own
 * ({@code setsid}), is registered while it runs, and on timeout, interrupt or {@link #terminateAll} its whole group
 * gets SIGTERM, a grace period, then SIGKILL, and is reaped. The runner never throws for a child's failure: the
 * outcome is a {@link CommandResult}. Children inherit the harness's environment except its secrets (the git and
 * Gitea tokens), which only the commands that need them carry in {@link Command#env()}.
 */
public final class CommandRunner {
    private static final int OUTPUT_CAP_BYTES = 8 * 1024 * 1024;
    private static final File DEV_NULL = new File("/dev/null");
    private static final boolean SETPRIV_AVAILABLE = new File("/usr/bin/setpriv").canExecute();
    /**
     * The harness's own secrets in its environment (the git token, the Gitea token): abra, docker, git and whatever a
     * recipe runs would otherwise all inherit them. A command that needs one hands it over in its own env.
     */
    private static final Set<String> WITHHELD_ENV = Set.of("RECIPECI_GIT_TOKEN", "RECIPECI_GITEA_TOKEN");

    /**
     * The leader of every command's group: runs the command and waits for it, passing on its exit code and stdin.
     * A TERM whose sender is the group kill (timeout, interrupt, teardown) reached the command too, and is not passed
     * on again — docker's CLI takes a second signal as "exit now". A TERM after the harness died (PDEATHSIG: the
     * guard's parent is no longer the one it started with) kills the whole group, grandchildren included.
     */
    static final String GUARD =
            // A job in the background gets /dev/null for stdin unless it is handed the real one explicitly.
            "exec 3<&0; \"$@\" <&3 3<&- & c=$!; exec 3<&-; p=$PPID\n"
                    + "trap 'read -r s < /proc/$$/stat; set -- ${s##*) }; [ \"$2\" = \"$p\" ] || kill -KILL 0' TERM\n"
                    + "while :; do wait \"$c\"; r=$?; kill -0 \"$c\" 2>/dev/null || exit \"$r\"; done";

    private final Duration grace;
    private final Consumer<CommandResult> journal;
    private final Set<ProcessGroup> running = ConcurrentHashMap.newKeySet();
    private volatile Limit limit;
    /** Set by {@link #stopAll}: no command starts any more, and one starting at that instant is killed. */
    private volatile boolean stopped;
    /** The scopes open now, oldest first; {@link #limit} is the newest of them. */
    private final Deque<Limit> scopes = new ArrayDeque<>();

    /**
     * A deadline every command of this runner must keep while it is in force (a teardown's budget), and the programs
     * that did not answer within it: once one of them timed out, its later commands are not started at all — a hung
     * daemon answers none of them, and waiting out each one's timeout is what the budget is there to prevent.
     */
    private record Limit(Deadline deadline, String why, Set<String> unresponsive) {}

    /**
     * @param grace time between SIGTERM and SIGKILL when a group is torn down
     * @param journal receives every finished command (for the run's command log)
     */
    public CommandRunner(Duration grace, Consumer<CommandResult> journal) {
        this.grace = grace;
        this.journal = journal;
    }

    public CommandRunner() {
        this(Duration.ofSeconds(5), result -> {});
    }

    /**
     * Runs {@code command} to completion or timeout.
     *
     * @throws CommandInterruptedException when the calling thread is interrupted; the child's group is killed first
     */
    public CommandResult run(Command command) {
        if (stopped) {
            return finish(
                    new CommandResult(command, -1, "", "not started: its runner was stopped", false, Duration.ZERO));
        }
        Limit limited = limit;
        if (limited != null) {
            String program = command.argv().get(0);
            if (limited.deadline().passed() || limited.unresponsive().contains(program)) {
                String why = limited.deadline().passed()
                        ? "not started: " + limited.why() + " is spent"
                        : "not started: `" + program + "` did not answer earlier (" + limited.why() + ")";
                return finish(new CommandResult(command, -1, "", why, true, Duration.ZERO));
            }
            command = command.withTimeout(
                    limited.deadline().cap(command.timeout()).plusMillis(1));
        }
        CommandResult result = start(command);
        if (limited != null && result.timedOut()) {
            limited.unresponsive().add(command.argv().get(0));
        }
        return result;
    }

    /**
     * Holds every command this runner starts to {@code deadline} until the returned scope closes: a command's
     * timeout is cut to what is left, and once a program timed out, or the deadline passed, commands are answered
     * at once as timed out without starting.
     *
     * @param why names the budget in the results of commands it stops ("the teardown budget of 120 s")
     */
    public Scope limitTo(Deadline deadline, String why) {
        Limit mine = new Limit(deadline, why, ConcurrentHashMap.newKeySet());
        synchronized (scopes) {
            scopes.addLast(mine);
            limit = mine;
        }
        return () -> {
            synchronized (scopes) {
                // Scopes may close out of order (the janitor's on its thread while a teardown's is open on another):
                // the newest scope still open is in force, never one that has closed.
                scopes.remove(mine);
                limit = scopes.peekLast();
            }
        };
    }

    /**
     * Whether a budget in force has given up on {@code program}: its deadline passed, or the program timed out
     * within it. Whatever else talks to the same program (docker's Engine API) should give up too.
     */
    public boolean gaveUpOn(String program) {
        Limit limited = limit;
        return limited != null
                && (limited.deadline().passed() || limited.unresponsive().contains(program));
    }

    /** {@code timeout}, or what is left of a budget in force when that is less: for calls that are not commands. */
    public Duration cap(Duration timeout) {
        Limit limited = limit;
        return limited == null ? timeout : limited.deadline().cap(timeout);
    }

    /**
     * Tells a budget in force that {@code program} did not answer in time by another way than a command (docker's
     * Engine API): its commands are then not started either, as after a command of it timed out.
     */
    public void timedOut(String program) {
        Limit limited = limit;
        if (limited != null) {
            limited.unresponsive().add(program);
        }
    }

    /** Ends a {@link #limitTo} scope. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private CommandResult start(Command command) {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(wrapped(command));
        command.workDir().ifPresent(dir -> builder.directory(dir.toFile()));
        prepareEnvironment(builder.environment(), command);
        if (command.stdin().isEmpty()) {
            builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return finish(new CommandResult(command, -1, "", "cannot start: " + e.getMessage(), false, since(started)));
        }
        ProcessGroup group = new ProcessGroup(process.pid());
        running.add(group);
        try {
            if (stopped) {
                // stopAll looked at the running commands before this one was among them.
                group.terminate(grace);
            }
            // Until the child has called setsid() its group does not exist yet and a group kill would miss it.
            group.awaitLeadership(process);
            Capture out = Capture.start(process.getInputStream(), "stdout", process.pid());
            Capture err = Capture.start(process.getErrorStream(), "stderr", process.pid());
            command.stdin().ifPresent(bytes -> feedInBackground(process, bytes));
            boolean exited = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                group.terminate(grace);
            } else if (group.hasLiveMember()) {
                // The leader is done but left members behind; they belong to this command and die with it.
                group.terminate(grace);
            }
            int exit = exited ? process.exitValue() : reapAfterKill(process);
            return finish(
                    new CommandResult(command, exited ? exit : -1, out.text(), err.text(), !exited, since(started)));
        } catch (InterruptedException e) {
            group.terminate(grace);
            reapAfterKill(process);
            Thread.currentThread().interrupt();
            throw new CommandInterruptedException(command);
        } finally {
            running.remove(group);
        }
    }

    /**
     * Starts {@code command} and hands its stdout over line by line as it comes, for a child that runs until it is
     * closed (an event stream). The same discipline as {@link #run}: its own session and process group, PDEATHSIG,
     * registered while it runs (so {@link #terminateAll} ends it too), the whole group killed and reaped on
     * {@link Streaming#close}. Its stderr is kept for the journal entry written at close; the command's timeout
     * bounds its whole life.
     *
     * @param lines gets each stdout line, on the stream's own reader thread; an exception from it ends nothing
     */
    public Streaming start(Command command, Consumer<String> lines) {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(wrapped(command));
        command.workDir().ifPresent(dir -> builder.directory(dir.toFile()));
        prepareEnvironment(builder.environment(), command);
        builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            finish(new CommandResult(command, -1, "", "cannot start: " + e.getMessage(), false, since(started)));
            return new Streaming(null, null, null, command, started);
        }
        ProcessGroup group = new ProcessGroup(process.pid());
        running.add(group);
        group.awaitLeadership(process);
        Capture err = Capture.start(process.getErrorStream(), "stderr", process.pid());
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = out.readLine()) != null) {
                            try {
                                lines.accept(line);
                            } catch (RuntimeException e) {
                                // One bad line must not end the stream.
                            }
                        }
                    } catch (IOException e) {
                        // Closed under us: the stream is over.
                    }
                },
                "recipe-ci-stream-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        Streaming streaming = new Streaming(process, group, err, command, started);
        Thread timeout = new Thread(
                () -> {
                    try {
                        if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                            streaming.close();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "recipe-ci-stream-timeout-" + process.pid());
        timeout.setDaemon(true);
        timeout.start();
        return streaming;
    }

    /** A child started by {@link #start}; {@link #close} ends its whole group and journals it. */
    public final class Streaming implements AutoCloseable {
        private final Process process;
        private final ProcessGroup group;
        private final Capture err;
        private final Command command;
        private final long started;
        private boolean closed;

        private Streaming(Process process, ProcessGroup group, Capture err, Command command, long started) {
            this.process = process;
            this.group = group;
            this.err = err;
            this.command = command;
            this.started = started;
            this.closed = process == null;
        }

        /** Whether the child still runs (false when it could not start, ended by itself, or was closed). */
        public boolean alive() {
            return process != null && process.isAlive();
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            boolean interrupted = Thread.interrupted();
            try {
                boolean exitedByItself = !process.isAlive();
                group.terminate(grace);
                int exit = reapAfterKill(process);
                String stderr;
                try {
                    stderr = err.text();
                } catch (InterruptedException e) {
                    interrupted = true;
                    stderr = "";
                }
                finish(new CommandResult(command, exitedByItself ? exit : 0, "", stderr, false, since(started)));
            } finally {
                running.remove(group);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** setsid, then (when setpriv is there) a guard that dies with us and takes the command's group along. */
    private static List<String> wrapped(Command command) {
        List<String> argv = new ArrayList<>(command.argv().size() + 10);
        argv.add("setsid");
        if (SETPRIV_AVAILABLE) {
            // Dies with us, and takes its own children along: a SIGKILLed harness must not leave a `docker stack
            // deploy` changing an app it no longer holds the lock of, nor a plugin docker's CLI started. PDEATHSIG
            // reaches only the process it is set on, so that process is a small guard that kills the whole group
            // when it gets it. (PDEATHSIG follows the spawning thread: commands run on the run's long-lived thread.)
            argv.addAll(List.of("setpriv", "--pdeathsig", "TERM", "--", "sh", "-c", GUARD, "recipe-ci-guard"));
        }
        argv.addAll(command.argv());
        return argv;
    }

    /**
     * Signals every running command's group (SIGTERM, grace, SIGKILL). The teardown funnel calls this first, so a
     * hung child cannot block cleanup.
     */
    public void terminateAll() {
        List<ProcessGroup> groups = new ArrayList<>(running);
        groups.forEach(g -> g.signal(NativePosix.SIGTERM));
        groups.forEach(g -> g.terminate(grace));
    }

    /**
     * Turns the inherited environment into the child's: the harness's secrets out (and all but the command's
     * {@link Command#inheritedEnv} when it names some), the command's own in.
     */
    static void prepareEnvironment(Map<String, String> inherited, Command command) {
        inherited.keySet().removeAll(WITHHELD_ENV);
        command.inheritedEnv().ifPresent(keep -> inherited.keySet().retainAll(keep));
        inherited.putAll(command.env());
    }

    /**
     * For a runner whose work is abandoned (a dump after the run's result, when a late signal comes): no command
     * starts any more, a command starting at this instant is killed as soon as it is registered, and every running
     * one is terminated ({@link #terminateAll}). Commands answered "not started" from then on.
     */
    public void stopAll() {
        stopped = true;
        terminateAll();
    }

    /** Whether {@link #stopAll} was called. */
    public boolean stopped() {
        return stopped;
    }

    /** Number of commands running right now. */
    public int runningCount() {
        return running.size();
    }

    private CommandResult finish(CommandResult result) {
        journal.accept(result);
        return result;
    }

    private static int reapAfterKill(Process process) {
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** On its own thread: a child that does not read its stdin must not block the timeout. */
    private static void feedInBackground(Process process, byte[] bytes) {
        Thread feeder = new Thread(
                () -> {
                    try (OutputStream stdin = process.getOutputStream()) {
                        stdin.write(bytes);
                    } catch (IOException e) {
                        // The child closed its stdin early, or was killed; its exit code tells the story.
                    }
                },
                "recipe-ci-stdin-" + process.pid());
        feeder.setDaemon(true);
        feeder.start();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Drains one output stream on its own thread so a chatty child never blocks on a full pipe. */
    private static final class Capture implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        private Capture(InputStream in, String name, long pid) {
            this.in = in;
            this.thread = new Thread(this, "recipe-ci-" + name + "-" + pid);
            this.thread.setDaemon(true);
        }

        static Capture start(InputStream in, String name, long pid) {
            Capture capture = new Capture(in, name, pid);
            capture.thread.start();
            return capture;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        if (buffer.size() < OUTPUT_CAP_BYTES) {
                            buffer.write(chunk, 0, Math.min(n, OUTPUT_CAP_BYTES - buffer.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // Stream closed under us after a kill: keep what was read.
            }
        }

        String text() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}

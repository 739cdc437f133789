package org.coopcloud.recipeci.internal.lifetime;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.os.NativePosix;
import sun.misc.Signal;

/**
 * The run-lifetime guards of the CI entrypoint, armed first thing in {@code main}, before the configuration is read
 * and long before any lock or deploy. They keep the chain <em>lock ⊆ harness process ⊆ CI step ⊆ deadline</em>:
 *
 * <ul>
 *   <li>{@code PR_SET_PDEATHSIG(SIGTERM)}: the parent's death TERMs the harness. A harness whose parent already
 *       died before the guard armed refuses to run.
 *   <li>SIGTERM (exit 143), SIGINT (exit 130), SIGHUP (129) and the hard deadline (exit 142, its own log line) all
 *       enter the one funnel, at any instant: the first of them fixes the run's exit code; while the run runs it is
 *       cancelled, its current wait interrupted, and the root store's teardown runs.
 *   <li>Once teardown has begun, signals and the deadline no longer interrupt anything: teardown is never cut short.
 *       The first stop still fixes the exit code (a run SIGTERMed during its teardown or reporting exits 143); later
 *       ones are logged and ignored.
 *   <li>Once the run has committed its exit code ({@link #finish}), a signal changes it no more; it only cuts short
 *       what the run still does after its result ({@link #onLateStop}).
 * </ul>
 *
 * One per process: signals are process-wide.
 */
public final class Lifetime {
    public static final int EXIT_SIGTERM = 143;
    public static final int EXIT_SIGINT = 130;
    public static final int EXIT_DEADLINE = 142;
    public static final int EXIT_SIGHUP = 129;

    /** Signals are process-wide: one set of guards per process. */
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    /**
     * The parent pid as early as this class is loaded; a later change means the parent died. Read by the JDK (from
     * /proc), not libc: a libc binding that fails must end the run with its own message when the guards are armed,
     * not as an error in this class's initialisation.
     */
    private static final long PARENT_AT_START =
            ProcessHandle.current().parent().map(ProcessHandle::pid).orElseGet(NativePosix::getppid);

    private enum State {
        RUNNING,
        CANCELLED,
        TEARING_DOWN,
        FINISHED
    }

    private volatile Consumer<String> log;
    private Runnable onCancel = () -> {};
    private Runnable onLateStop = () -> {};
    private boolean stoppedLate;
    private int committed;
    private final ScheduledExecutorService deadlineTimer;
    private State state = State.RUNNING;
    private int exitCode;
    private String cause = "";

    private Lifetime(Consumer<String> log) {
        this.log = log;
        this.deadlineTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "recipe-ci-deadline");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Installs the guards for this process and starts the deadline.
     *
     * @param deadline hard limit of the whole run
     * @param log receives the guards' log lines
     * @param onCancel called once, from a signal or timer thread, when the run must stop (cancel the Launcher,
     *     interrupt the main thread)
     * @throws RecipeConfigurationException when the parent died before the guards were armed, or they cannot be
     *     armed
     */
    public static Lifetime install(Duration deadline, Consumer<String> log, Runnable onCancel) {
        Lifetime lifetime = arm(log);
        lifetime.onCancel(onCancel);
        lifetime.startDeadline(deadline);
        return lifetime;
    }

    /**
     * Arms PDEATHSIG, the orphan check and the signal handlers — before anything else of the run, so that a signal
     * at any later instant reaches the funnel. The deadline starts once the configuration names it
     * ({@link #startDeadline}); what a stop does is set with {@link #onCancel}.
     *
     * @throws RecipeConfigurationException when the parent died before the guards were armed, or they cannot be
     *     armed
     */
    public static Lifetime arm(Consumer<String> log) {
        Lifetime lifetime = new Lifetime(log);
        if (!ARMED.compareAndSet(false, true)) {
            throw new IllegalStateException("lifetime guards are already installed in this process");
        }
        try {
            arm(lifetime);
        } catch (RuntimeException e) {
            ARMED.set(false);
            lifetime.close();
            throw e;
        }
        return lifetime;
    }

    private static void arm(Lifetime lifetime) {
        if (NativePosix.prctl(NativePosix.PR_SET_PDEATHSIG, NativePosix.SIGTERM, 0, 0, 0) != 0) {
            throw new RecipeConfigurationException("prctl(PR_SET_PDEATHSIG) failed (errno " + NativePosix.errno()
                    + "): recipe-ci needs Linux to tie its lifetime to its parent");
        }
        refuseIfOrphaned();
        // A JVM started in the background of a non-interactive shell inherits SIGINT ignored, and the JVM then
        // refuses to handle it: restore the default first so that INT reaches the funnel.
        NativePosix.signal(NativePosix.SIGINT, NativePosix.SIG_DFL);
        // The same for TERM and HUP: a wrapper may start us with them ignored (`trap '' TERM`), and PDEATHSIG
        // delivers TERM — an ignored TERM would silently void both.
        NativePosix.signal(NativePosix.SIGTERM, NativePosix.SIG_DFL);
        NativePosix.signal(NativePosix.SIGHUP, NativePosix.SIG_DFL);
        Signal.handle(
                new Signal("TERM"), s -> lifetime.cancel(EXIT_SIGTERM, "SIGTERM received (CI cancel or parent death)"));
        Signal.handle(new Signal("INT"), s -> lifetime.cancel(EXIT_SIGINT, "SIGINT received"));
        Signal.handle(
                new Signal("HUP"), s -> lifetime.cancel(EXIT_SIGHUP, "SIGHUP received (terminal or session gone)"));
    }

    /** Where the guards' lines go from now on (the run log, once the run directory is known). */
    public void logTo(Consumer<String> lines) {
        this.log = lines;
    }

    /**
     * What a stop does while the run runs; when a stop already came (a signal while the configuration was read),
     * it is done at once.
     */
    public void onCancel(Runnable action) {
        boolean already;
        synchronized (this) {
            onCancel = action;
            already = state == State.CANCELLED;
        }
        if (already) {
            action.run();
        }
    }

    /**
     * What a signal or the deadline does once the run's exit code is committed ({@link #finish}): cut short the work
     * the run does after its result (writing the class-data archive). The exit code stays.
     */
    public void onLateStop(Runnable action) {
        boolean already;
        synchronized (this) {
            onLateStop = action;
            already = stoppedLate;
        }
        if (already) {
            action.run(); // the stop came before the action was set
        }
    }

    /** Starts the hard deadline of the run. */
    public void startDeadline(Duration deadline) {
        deadlineTimer.schedule(
                () -> cancel(EXIT_DEADLINE, "run exceeded its " + human(deadline) + " hard deadline"),
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the parent pid now. The entrypoint calls this on the first line of {@code main}: the earlier the
     * parent is recorded, the smaller the window in which a dying parent goes unnoticed.
     */
    public static long parentAtStart() {
        return PARENT_AT_START;
    }

    /**
     * The parent that started this JVM must still be its parent: compared with the parent seen at class load and,
     * when a wrapper passes it, with {@code RECIPECI_PARENT_PID}. Re-parenting may go to a subreaper, not pid 1,
     * so "ppid == 1" alone is not enough.
     */
    static void refuseIfOrphaned() {
        long now = NativePosix.getppid();
        Optional<Long> expected = Optional.ofNullable(System.getenv("RECIPECI_PARENT_PID"))
                .filter(v -> v.matches("\\d+"))
                .map(Long::parseLong);
        Optional<String> why = orphaned(now, PARENT_AT_START, expected);
        if (why.isPresent()) {
            throw new RecipeConfigurationException("the process that started recipe-ci is gone (" + why.get()
                    + "): refusing to run orphaned, because nothing would stop this run when its CI step ends");
        }
    }

    /** Why a JVM whose parent is {@code now} is an orphan, if it is one; the words name what was seen. */
    static Optional<String> orphaned(long now, long atStart, Optional<Long> expected) {
        if (expected.isPresent() && expected.get() != now) {
            return Optional.of("its parent is pid " + now + ", not RECIPECI_PARENT_PID=" + expected.get());
        }
        if (now != atStart) {
            return Optional.of("its parent changed from pid " + atStart + " to pid " + now + " while it started");
        }
        if (now == 1) {
            return Optional.of("its parent is pid 1: it was re-parented to init before it started");
        }
        return Optional.empty();
    }

    /**
     * A signal or the deadline. The first one fixes the exit code; while the run runs, it is also stopped (the
     * cancel action). During teardown and reporting nothing is interrupted; after {@link #finish}, nothing changes.
     */
    void cancel(int code, String message) {
        Runnable action = null;
        String line;
        synchronized (this) {
            if (state == State.FINISHED) {
                line = "!! " + message + " after the run finished — its exit code stays " + committed;
                stoppedLate = true;
                action = onLateStop;
            } else if (exitCode != 0) {
                line = "!! " + message + " during " + (state == State.TEARING_DOWN ? "teardown" : "cancellation")
                        + " — ignored, teardown continues";
            } else {
                exitCode = code;
                cause = message;
                if (state == State.RUNNING) {
                    state = State.CANCELLED;
                    action = onCancel;
                    line = "== " + message + " — tearing down ==";
                } else {
                    line = "!! " + message + " during teardown — teardown continues; the run exits " + code;
                }
            }
        }
        log.accept(line);
        if (action != null) {
            action.run();
        }
    }

    /**
     * Marks the start of teardown: from now on signals and the deadline no longer interrupt anything. Clears a
     * pending interrupt of the calling thread, so that teardown's own waits run to completion.
     */
    public void beginTeardown() {
        synchronized (this) {
            if (state != State.FINISHED) {
                state = State.TEARING_DOWN;
            }
        }
        Thread.interrupted();
    }

    /**
     * Commits the run's exit code: {@code code}, unless a signal or the deadline came first. Later signals change
     * nothing.
     */
    public synchronized int finish(int code) {
        state = State.FINISHED;
        committed = exitCodeOr(code);
        return committed;
    }

    private int exitCodeOr(int code) {
        return exitCode != 0 ? exitCode : code;
    }

    /** The exit code a signal or the deadline imposes on the run, if one came. */
    public synchronized OptionalInt exitOverride() {
        return exitCode == 0 ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    public synchronized String cause() {
        return cause;
    }

    public synchronized boolean cancelled() {
        return exitCode != 0;
    }

    /** Stops the deadline timer (the run is over). Signal handlers stay: a late signal is still ignored. */
    public void close() {
        deadlineTimer.shutdownNow();
        synchronized (this) {
            if (state != State.FINISHED) {
                state = State.TEARING_DOWN;
            }
        }
    }

    private static String human(Duration d) {
        long millis = d.toMillis();
        if (millis > 0 && millis % 60_000 == 0) {
            return d.toMinutes() + "-minute";
        }
        return millis % 1000 == 0 ? d.toSeconds() + "-second" : millis + "-millisecond";
    }
}

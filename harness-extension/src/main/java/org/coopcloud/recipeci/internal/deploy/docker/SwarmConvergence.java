package org.coopcloud.recipeci.internal.deploy.docker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.HostFaultException;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.docker.Swarm.DeployMark;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;

/**
 * The convergence wait of a swarm deploy, paced by docker's events for the stack: every service has all replicas
 * running with no update in flight, no task of the deploy failed for good, no update rolled back or paused. After it, while the ready
 * probe waits, it keeps answering whether a task of the stack's last deploy failed since.
 */
final class SwarmConvergence {
    /**
     * How long after a deploy that changed a service's task template swarm has to start its update. Swarm starts one
     * within milliseconds of the spec change (3 ms measured here) and says so in an event, which ends this wait at
     * once; the bound is paid only when swarm judges that no task needs replacing (it then starts none). 5 s, not
     * less: on a host loaded with other runs, old tasks taken for converged would fail the upgrade tier instead.
     */
    private static final Duration ROLLOUT_START = Duration.ofSeconds(5);

    private final DockerCli docker;
    private final RunLog log;
    /** Each stack's last deploy, whose new tasks the ready wait keeps an eye on. */
    private final Map<StackName, DeployMark> lastDeploys = new ConcurrentHashMap<>();
    /**
     * Reads a stack's services while the polling thread reads its tasks: threads kept between polls (one per wait
     * running at once), daemons, so they never hold up an exit.
     */
    private final ExecutorService servicesReader = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "recipe-ci-services-reader");
        thread.setDaemon(true);
        return thread;
    });
    /** Each stack's services whose failed tasks swarm does not replace: read while converging. */
    private final Map<StackName, Set<String>> notRestarted = new ConcurrentHashMap<>();
    /** Each stack's failed tasks of its last deploy that swarm is retrying (each said once in the log). */
    private final Map<StackName, Set<String>> forgiven = new ConcurrentHashMap<>();

    SwarmConvergence(DockerCli docker, RunLog log) {
        this.docker = docker;
        this.log = log;
    }

    /**
     * @throws DeployFailedException naming a task started by the app's last deploy that failed since, with the task
     *     table and the service's last log lines (a task that crashes right after convergence, while the ready
     *     probe waits), when that failure is final (see {@link #finalFailure})
     */
    void requireNoFailedTask(AppDomain app) {
        DeployMark mark = lastDeploys.get(app.stackName());
        if (mark != null) {
            requireNoFinalFailure(
                    app.stackName(),
                    mark,
                    docker.tasks(app.stackName()),
                    notRestarted.getOrDefault(app.stackName(), Set.of()));
        }
    }

    /**
     * Fails on a final failure among the tasks started since {@code mark}; returns a note of the failures swarm is
     * still retrying (empty when none).
     */
    private String requireNoFinalFailure(
            StackName stack, DeployMark mark, List<DockerCli.Task> tasks, Set<String> notRestarted) {
        List<DockerCli.Task> failed = newFailures(mark, tasks).toList();
        if (failed.isEmpty()) {
            return "";
        }
        DockerCli.Task first = finalFailure(failed, notRestarted).orElse(null);
        if (first == null) {
            DockerCli.Task once = failed.get(0);
            String note = "task " + slot(once) + " failed once (" + once.error() + "), swarm restarts it";
            failed.stream()
                    .filter(t -> forgiven.computeIfAbsent(stack, k -> ConcurrentHashMap.newKeySet())
                            .add(t.id()))
                    .forEach(t -> log.info(stack + ": task " + slot(t) + " failed (" + t.error()
                            + "); swarm restarts it, and a second failure in its place fails the deploy"));
            return "; " + note;
        }
        throw new DeployFailedException(describe(stack, first, why(first, notRestarted), tasks));
    }

    /** The tasks started since {@code mark} that failed. */
    private static Stream<DockerCli.Task> newFailures(DeployMark mark, List<DockerCli.Task> tasks) {
        return tasks.stream().filter(t -> !mark.tasksBefore().contains(t.id()) && t.failed());
    }

    private String describe(StackName stack, DockerCli.Task failed, String why, List<DockerCli.Task> tasks) {
        String service = service(failed);
        return "task " + slot(failed) + " of stack " + stack + " "
                + failed.currentState().replaceAll(" .*", "").toLowerCase(Locale.ROOT) + ": "
                + failed.error()
                + why
                + "\ntasks:\n" + DockerCli.table(tasks)
                + "\nlast log lines of " + service + ":\n"
                + docker.serviceLogs(service, 20).indent(2).stripTrailing();
    }

    /**
     * The first task started since {@code mark} that failed, described as a deploy failure (its error, the task
     * table, the service's last log lines), whether or not swarm is retrying it: for a deployer that judged the
     * deploy failed already (abra fails at a stack's first failed task).
     */
    Optional<String> failedTask(StackName stack, DeployMark mark) {
        List<DockerCli.Task> tasks = docker.tasks(stack);
        return newFailures(mark, tasks).findFirst().map(t -> describe(stack, t, "", tasks));
    }

    /**
     * The failure among a deploy's failed tasks that ends the wait: a task swarm rejected (it could not even start
     * it: no such image, a missing secret), a second failure in one slot (a crash loop), or a failure swarm will not
     * replace (the service's {@code restart_policy.condition: none}). A single failure swarm restarts is not: a task
     * that fails once while its database restarts and then runs is how real apps start.
     *
     * @param notRestarted the services whose failed tasks swarm does not replace ({@link
     *     DockerCli#replacesFailedTasks})
     */
    static Optional<DockerCli.Task> finalFailure(List<DockerCli.Task> failed, Set<String> notRestarted) {
        Map<String, Integer> perSlot = new HashMap<>();
        for (DockerCli.Task t : failed) {
            int failures = perSlot.merge(slot(t), 1, Integer::sum);
            if (t.currentState().startsWith("Rejected") || failures >= 2 || notRestarted.contains(service(t))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static String why(DockerCli.Task task, Set<String> notRestarted) {
        if (task.currentState().startsWith("Rejected")) {
            return "";
        }
        return notRestarted.contains(service(task))
                ? " (its restart policy starts no other task in its place)"
                : " (and failed before in the same slot)";
    }

    /** The task's service: its slot without the slot number (or node id). */
    private static String service(DockerCli.Task task) {
        return slot(task).replaceAll("\\.[^.]+$", "");
    }

    /** The task's slot, e.g. {@code stack_app.1}: every task swarm starts in its place has the same name. */
    private static String slot(DockerCli.Task task) {
        // The CLI writes the earlier tasks of a slot as "\_ stack_app.1".
        return task.name().strip().replaceFirst("^\\\\_\\s*", "");
    }

    /** Whether a task of the app's last deploy failed once and swarm is retrying it. */
    boolean forgaveAFailure(AppDomain app) {
        return !forgiven.getOrDefault(app.stackName(), Set.of()).isEmpty();
    }

    /** Marks the moment before a deploy of {@code stack}. */
    DeployMark beforeDeploy(StackName stack) {
        Instant at = Instant.now();
        Set<String> before = new HashSet<>();
        docker.tasks(stack).forEach(t -> before.add(t.id()));
        return new DeployMark(before, at);
    }

    /**
     * Waits until every service of the app converged after the deploy marked by {@code mark}.
     *
     * @throws DeployFailedException at once when a new task fails or an update is rolled back (with the task table
     *     and the service's last log lines)
     */
    List<ServiceState> awaitConverged(AppDomain domain, DeployMark mark, Duration timeout) {
        lastDeploys.put(domain.stackName(), mark);
        forgiven.remove(domain.stackName());
        long[] rolloutWait = {0};
        try (StackEvents events = StackEvents.open(docker, domain.stackName(), mark.at(), timeout)) {
            List<ServiceState> converged = NamedWait.of(domain + " converging", timeout)
                    .pacedBy(events)
                    .until(() -> convergence(domain.stackName(), mark, rolloutWait), log::info);
            events.last()
                    .ifPresent(e -> log.detail(domain + ": converged noticed "
                            + e.age().toMillis() + " ms after swarm's last event of the stack (" + e.what() + ")"));
            return converged;
        }
    }

    /**
     * Converged: no new task failed, every service has all replicas running with no update in flight, no replaced
     * task still running — and every
     * service whose task template this deploy changed has an update that started after the deploy and is not
     * still running. (Right after a deploy swarm may not have begun the rollout yet: the old tasks then look
     * converged.) An update of this deploy that swarm rolled back or paused ends the wait at once.
     */
    private Poll<List<ServiceState>> convergence(StackName stack, DeployMark mark, long[] rolloutWaitStarted)
            throws InterruptedException {
        // The services are read while the tasks are: one poll takes the time of its slower half, not of both, and
        // an event's news is noticed that much sooner. (The reading thread waits for its child, as PDEATHSIG needs.)
        // Kept reader threads, not the common pool: on two cores that pool starts a new thread per task.
        Future<DockerCli.StackServices> reading = servicesReader.submit(() -> docker.stackServices(stack));
        DockerCli.StackServices services;
        try {
            List<DockerCli.Task> tasks = docker.tasks(stack);
            services = reading.get();
            return afterReading(stack, mark, rolloutWaitStarted, tasks, services);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } finally {
            reading.cancel(true); // an interrupt (SIGTERM) or a failed task read: the services' read stops too
        }
    }

    private Poll<List<ServiceState>> afterReading(
            StackName stack,
            DeployMark mark,
            long[] rolloutWaitStarted,
            List<DockerCli.Task> tasks,
            DockerCli.StackServices services) {
        if (!services.states().isEmpty()) {
            notRestarted.put(stack, services.notRestarted());
        }
        String retried = requireNoFinalFailure(stack, mark, tasks, services.notRestarted());
        for (DockerCli.Rollout rollout : services.rollouts()) {
            boolean thisDeploy = rollout.startedAt() >= mark.startedAt();
            // Paused (update_config.failure_action's default): swarm judged a task of this update failed and
            // stopped updating. Where swarm's restart mended it (the failure was forgiven above) and every slot was
            // reached, the wait goes on; a slot the update never reached stays on the old version for good.
            List<String> stranded = thisDeploy && rollout.state().equals("paused")
                    ? strandedSlots(rollout.service(), mark, tasks)
                    : List.of();
            // Rolled back: swarm judged a task of this update failed, and the old version runs again.
            if (thisDeploy && (rollout.state().startsWith("rollback") || !stranded.isEmpty())) {
                // The task error that made swarm roll back goes on the first line: it is the reason. The task
                // list read before the rollouts may predate the failure that started the rollback: read it again.
                List<DockerCli.Task> now = docker.tasks(stack);
                String cause = now.stream()
                        .filter(t -> !mark.tasksBefore().contains(t.id())
                                && t.name().startsWith(rollout.service() + ".")
                                && !t.error().isBlank())
                        .findFirst()
                        .map(t -> ": task " + t.name() + " " + t.error())
                        .orElse("");
                throw new DeployFailedException("the update of " + rollout.service() + " was "
                        + (stranded.isEmpty()
                                ? "rolled back"
                                : "paused, leaving " + String.join(", ", stranded) + " on the old version,")
                        + " by swarm (" + rollout.state() + ")" + cause + "\ntasks:\n" + DockerCli.table(now)
                        + "\nlast log lines of "
                        + rollout.service() + ":\n"
                        + docker.serviceLogs(rollout.service(), 20).indent(2).stripTrailing());
            }
            if (rollout.templateChanged() && !thisDeploy) {
                // Swarm may decide a changed template needs no rollout: give it ROLLOUT_START to start one.
                long now = System.nanoTime();
                if (rolloutWaitStarted[0] == 0) {
                    rolloutWaitStarted[0] = now;
                }
                if (now - rolloutWaitStarted[0] < ROLLOUT_START.toNanos()) {
                    return Poll.pending("waiting for swarm to start the update of " + rollout.service());
                }
            }
        }
        List<ServiceState> states = services.states();
        if (states.isEmpty()) {
            // A deploy returns once the services exist: none now means someone removed the stack underneath.
            throw new HostFaultException(
                    "the stack " + stack + " disappeared while converging: something outside this"
                            + " run removed it (another runner's janitor? `docker stack rm` by hand?) — not the recipe's doing");
        }
        long running = states.stream().filter(ServiceState::converged).count();
        String state = running + "/" + states.size() + " services running"
                + (states.stream().anyMatch(s -> s.updateState()
                                .filter("updating"::equals)
                                .isPresent())
                        ? ", update in progress"
                        : "")
                + retried;
        if (running < states.size()) {
            return Poll.pending(state);
        }
        // A replaced task whose container still runs (start-first updates, a stop grace period) is still in the
        // service's DNS: the bridge's next connection may reach it as it dies, and a tier's first request fails.
        long stopping = stillStopping(tasks);
        return stopping == 0
                ? Poll.done(state, states)
                : Poll.pending(state + "; " + stopping + " replaced task(s) still stopping");
    }

    /**
     * The slots of {@code service} where a task from before the deploy still runs and the deploy started none: an
     * update that swarm paused will never reach them.
     */
    static List<String> strandedSlots(String service, DeployMark mark, List<DockerCli.Task> tasks) {
        Set<String> reached = new HashSet<>();
        Set<String> runningOld = new TreeSet<>();
        for (DockerCli.Task t : tasks) {
            if (!service(t).equals(service)) {
                continue;
            }
            if (!mark.tasksBefore().contains(t.id())) {
                reached.add(slot(t));
            } else if (t.desiredState().equals("Running") && t.currentState().startsWith("Running")) {
                runningOld.add(slot(t));
            }
        }
        runningOld.removeAll(reached);
        return List.copyOf(runningOld);
    }

    /** Tasks swarm wants shut down whose containers still run. */
    static long stillStopping(List<DockerCli.Task> tasks) {
        return tasks.stream()
                .filter(t ->
                        !t.desiredState().equals("Running") && !t.desiredState().equals("Ready"))
                .filter(t -> t.currentState().startsWith("Running"))
                .count();
    }
}

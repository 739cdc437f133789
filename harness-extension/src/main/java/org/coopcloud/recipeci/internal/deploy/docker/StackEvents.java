package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.wait.NamedWait;

/**
 * Docker's own word that something of one stack changed — {@code docker events} for its services and containers — as
 * the pace of a wait that would otherwise poll once a second. An event only says "look now": the wait's poll stays
 * the judge, so a missed or garbled event costs time, never a wrong answer. Without events (the stream cannot start,
 * or ends) the wait polls at its own interval, as before.
 *
 * <p>One stream per wait, opened with {@code --since} the wait's mark (docker replays what happened between the mark
 * and the stream's start) and closed with the wait: a child in its own process group like every other, ended by
 * {@link CommandRunner#terminateAll} too.
 *
 * <p>An event (a burst of them) is followed by one poll at once and more within {@link #FOLLOW_UP_WINDOW}: swarm's
 * view of a task (what {@code docker service ls} counts) follows its container's event by some milliseconds. The
 * follow-ups are {@link #FOLLOW_UP} apart when a poll is docker commands, {@link #ENGINE_FOLLOW_UP} when it is a few
 * Engine API requests (a few ms each). When nothing happens, a safety poll runs every {@link #SAFETY_POLL}.
 */
final class StackEvents implements NamedWait.Pacer, AutoCloseable {
    static final Duration FOLLOW_UP = Duration.ofMillis(200);
    static final Duration ENGINE_FOLLOW_UP = Duration.ofMillis(50);
    static final Duration FOLLOW_UP_WINDOW = Duration.ofMillis(500);
    static final Duration SAFETY_POLL = Duration.ofSeconds(2);
    /** Events come in bursts (create, attach, start…): one poll for a burst. */
    private static final Duration QUIET = Duration.ofMillis(5);
    /** Container actions that are no news to a wait: health checks and execs run every few seconds. */
    private static final Set<String> NOISE = Set.of("exec_create", "exec_start", "exec_die", "top", "attach");

    /** One event: docker's time for it (epoch nanoseconds) and what it was, e.g. "container health_status". */
    record Event(long timeNano, String what) {
        /** How long ago docker says it happened. */
        Duration age() {
            Instant now = Instant.now();
            long nowNano = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            return Duration.ofNanos(Math.max(0, nowNano - timeNano));
        }
    }

    private final StackName stack;
    private final BooleanSupplier alive;
    private final Runnable closer;
    private final Duration followUp;
    private final Object lock = new Object();
    private long generation;
    private long seen;
    private long lastArrival;
    private Event last;

    /**
     * @param alive whether the stream still runs (a dead one makes the wait poll at its own interval)
     * @param closer ends the stream
     */
    StackEvents(StackName stack, BooleanSupplier alive, Runnable closer) {
        this(stack, alive, closer, FOLLOW_UP);
    }

    /** @param followUp how far apart the polls after an event are */
    StackEvents(StackName stack, BooleanSupplier alive, Runnable closer, Duration followUp) {
        this.stack = stack;
        this.alive = alive;
        this.closer = closer;
        this.followUp = followUp;
    }

    /** Listens to {@code stack}'s events from {@code since} on, for a wait of at most {@code limit}. */
    static StackEvents open(DockerCli docker, StackName stack, Instant since, Duration limit) {
        String sinceArg = since.getEpochSecond() + "." + String.format("%09d", since.getNano());
        AtomicReference<StackEvents> events = new AtomicReference<>();
        List<String> early = new ArrayList<>();
        CommandRunner.Streaming stream = docker.start(
                Command.of(
                                "docker",
                                "events",
                                "--since",
                                sinceArg,
                                "--filter",
                                "type=service",
                                "--filter",
                                "type=container",
                                "--format",
                                "{{json .}}")
                        .withTimeout(limit.plus(Duration.ofMinutes(1))),
                line -> {
                    synchronized (early) {
                        if (events.get() == null) {
                            early.add(line);
                            return;
                        }
                    }
                    events.get().accept(line);
                });
        StackEvents opened =
                new StackEvents(stack, stream::alive, stream::close, docker.viaEngine() ? ENGINE_FOLLOW_UP : FOLLOW_UP);
        synchronized (early) {
            // Lines that came before the listener was in place (docker replays from --since at once).
            early.forEach(opened::accept);
            events.set(opened);
        }
        return opened;
    }

    /** The last event of the stack seen so far. */
    Optional<Event> last() {
        synchronized (lock) {
            return Optional.ofNullable(last);
        }
    }

    /** One line of {@code docker events --format '{{json .}}'}. */
    void accept(String line) {
        JsonNode event = DockerCli.parse(line);
        String type = event.path("Type").asText();
        String action = event.path("Action").asText();
        JsonNode attributes = event.path("Actor").path("Attributes");
        boolean ours =
                switch (type) {
                    case "service" -> attributes.path("name").asText().startsWith(stack + "_");
                    case "container" ->
                        stack.value()
                                        .equals(attributes
                                                .path(DockerCli.STACK_LABEL)
                                                .asText())
                                && !NOISE.contains(action.replaceAll(":.*", ""));
                    default -> false;
                };
        if (!ours) {
            return;
        }
        String update = attributes.path("updatestate.new").asText();
        synchronized (lock) {
            last = new Event(
                    event.path("timeNano").asLong(),
                    type + " " + action + (update.isEmpty() ? "" : " (update " + update + ")"));
            generation++;
            lastArrival = System.nanoTime();
            lock.notifyAll();
        }
    }

    @Override
    public void pause(Duration interval) throws InterruptedException {
        if (!alive.getAsBoolean()) {
            Thread.sleep(interval.toMillis());
            return;
        }
        synchronized (lock) {
            long now = System.nanoTime();
            boolean following = lastArrival != 0 && now - lastArrival < FOLLOW_UP_WINDOW.toNanos();
            long until = now + (following ? followUp : SAFETY_POLL).toNanos();
            while (generation == seen && alive.getAsBoolean()) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                lock.wait(Math.max(1, left / 1_000_000), 0);
            }
            if (generation != seen) {
                // Let the rest of a burst arrive, then poll once for all of it.
                long quietUntil = System.nanoTime() + QUIET.multipliedBy(6).toNanos();
                long mark;
                do {
                    mark = generation;
                    lock.wait(QUIET.toMillis());
                } while (generation != mark && System.nanoTime() < quietUntil);
            }
            seen = generation;
        }
    }

    @Override
    public void close() {
        closer.run();
    }
}

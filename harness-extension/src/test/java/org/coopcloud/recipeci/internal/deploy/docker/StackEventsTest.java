package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coopcloud.recipeci.StackName;
import org.junit.jupiter.api.Test;

class StackEventsTest {
    private static final StackName STACK = new StackName("hell-1a2b3c_ci_example_org");

    private static String container(String stack, String action) {
        return "{\"Type\":\"container\",\"Action\":\"" + action + "\",\"Actor\":{\"ID\":\"c1\",\"Attributes\":"
                + "{\"com.docker.stack.namespace\":\"" + stack + "\",\"name\":\"" + stack + "_app.1.x\"}},"
                + "\"timeNano\":1700000000000000000}";
    }

    private static String service(String name, String update) {
        return "{\"Type\":\"service\",\"Action\":\"update\",\"Actor\":{\"ID\":\"s1\",\"Attributes\":{\"name\":\""
                + name + "\"" + (update.isEmpty() ? "" : ",\"updatestate.new\":\"" + update + "\"") + "}},"
                + "\"timeNano\":1700000000000000001}";
    }

    @Test
    void onlyTheStacksOwnNewsCounts() {
        StackEvents events = new StackEvents(STACK, () -> true, () -> {});
        events.accept(container("other_stack", "start"));
        events.accept(container(STACK.value(), "exec_start: wget -q -O /dev/null http://127.0.0.1:8080/health"));
        events.accept(service("other_stack_app", "updating"));
        assertThat(events.last()).isEmpty();

        events.accept(container(STACK.value(), "health_status: healthy"));
        assertThat(events.last())
                .hasValueSatisfying(e -> assertThat(e.what()).isEqualTo("container health_status: healthy"));
        events.accept(service(STACK + "_app", "completed"));
        assertThat(events.last())
                .hasValueSatisfying(e -> assertThat(e.what()).isEqualTo("service update (update completed)"));
    }

    @Test
    void anEventEndsThePauseLongBeforeTheSafetyPoll() throws Exception {
        StackEvents events = new StackEvents(STACK, () -> true, () -> {});
        Thread poster = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            events.accept(container(STACK.value(), "start"));
        });
        long start = System.nanoTime();
        poster.start();
        events.pause(Duration.ofSeconds(1));
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        poster.join();

        assertThat(ms).isGreaterThanOrEqualTo(90).isLessThan(StackEvents.SAFETY_POLL.toMillis() / 2);
    }

    @Test
    void afterAnEvent_theFollowUpsAreAsFarApartAsTheStreamWasToldToPoll() throws Exception {
        for (Duration followUp : new Duration[] {StackEvents.ENGINE_FOLLOW_UP, StackEvents.FOLLOW_UP}) {
            StackEvents events = new StackEvents(STACK, () -> true, () -> {}, followUp);
            events.accept(container(STACK.value(), "start"));
            events.pause(Duration.ofSeconds(1)); // the event's own poll

            long start = System.nanoTime();
            events.pause(Duration.ofSeconds(1)); // a follow-up: no new event
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();

            // At least the follow-up's spacing; well under the pause's own 1 s limit (a generous bound: a loaded
            // host may be late, but the follow-up, not the limit, ends the pause).
            assertThat(ms).as("follow-up of " + followUp).isBetween(followUp.toMillis() - 5, 900L);
        }
    }

    @Test
    void withoutAStreamTheWaitSleepsItsOwnInterval() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        StackEvents events = new StackEvents(STACK, () -> false, () -> closed.set(true));
        long start = System.nanoTime();
        events.pause(Duration.ofMillis(50));
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(45L, 1000L);
        events.close();
        assertThat(closed).isTrue();
    }
}

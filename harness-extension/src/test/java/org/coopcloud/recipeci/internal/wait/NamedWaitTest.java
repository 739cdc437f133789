package org.coopcloud.recipeci.internal.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamedWaitTest {

    private static final Duration TICK = Duration.ofMillis(5);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void returnsTheValueWhenTheProbeSaysDone() {
        String value = NamedWait.of("stack converged", Duration.ofSeconds(5))
                .every(TICK)
                .until(() -> Poll.done("1/1", "ready"), s -> {});
        assertThat(value).isEqualTo("ready");
    }

    @Test
    void pollsUntilDone() {
        AtomicInteger polls = new AtomicInteger();
        int value = NamedWait.of("third time lucky", Duration.ofSeconds(5))
                .every(Duration.ofMillis(1))
                .until(
                        () -> polls.incrementAndGet() < 3 ? Poll.pending("try " + polls.get()) : Poll.done("ok", 42),
                        s -> {});
        assertThat(value).isEqualTo(42);
        assertThat(polls).hasValue(3);
    }

    @Test
    void aThrowingProbeFailsAtOnce() {
        AtomicInteger polls = new AtomicInteger();
        IllegalStateException rejected = new IllegalStateException("task rejected: no such image");
        assertThatThrownBy(() -> NamedWait.of("stack converged", Duration.ofSeconds(30))
                        .every(TICK)
                        .until(
                                () -> {
                                    polls.incrementAndGet();
                                    throw rejected;
                                },
                                s -> {}))
                .isSameAs(rejected);
        assertThat(polls).hasValue(1);
    }

    @Test
    void aCheckedExceptionIsWrappedWithTheWaitName() {
        IOException io = new IOException("connection refused");
        assertThatThrownBy(() -> NamedWait.of("health check", Duration.ofSeconds(30))
                        .until(
                                () -> {
                                    throw io;
                                },
                                s -> {}))
                .isInstanceOf(RecipeCiException.class)
                .hasMessage("health check: connection refused")
                .hasCause(io);
    }

    @Test
    void timeoutNamesTheWaitAndTheLastState() {
        AtomicInteger polls = new AtomicInteger();
        long started = System.nanoTime();
        assertThatThrownBy(() -> NamedWait.of("stack hell-1a2b3c converged", Duration.ofMillis(50))
                        .every(TICK)
                        .until(() -> Poll.pending("web 0/1 (poll " + polls.incrementAndGet() + ")"), s -> {}))
                .isInstanceOfSatisfying(NamedWait.TimeoutException.class, e -> assertThat(e.getMessage())
                        .contains("waiting for stack hell-1a2b3c converged")
                        .contains("last state: web 0/1 (poll " + polls.get() + ")"));
        assertThat(polls.get()).isGreaterThan(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void timeoutIsARecipeCiException() {
        assertThatThrownBy(
                        () -> NamedWait.of("x", Duration.ZERO).every(TICK).until(() -> Poll.pending("never"), s -> {}))
                .isInstanceOf(RecipeCiException.class)
                .isInstanceOf(NamedWait.TimeoutException.class);
    }

    @Test
    void progressSeesEachStateChangeOnce() {
        List<String> states = List.of("a", "a", "b", "b", "b", "c");
        AtomicInteger i = new AtomicInteger();
        List<String> seen = new ArrayList<>();
        String value = NamedWait.of("w", Duration.ofSeconds(5))
                .every(Duration.ofMillis(1))
                .until(
                        () -> {
                            int n = i.getAndIncrement();
                            return n < states.size() ? Poll.pending(states.get(n)) : Poll.done("done", "v");
                        },
                        seen::add);
        assertThat(value).isEqualTo("v");
        assertThat(seen).hasSize(4);
        assertThat(seen.get(0)).startsWith("w: a (");
        assertThat(seen.get(1)).startsWith("w: b (");
        assertThat(seen.get(2)).startsWith("w: c (");
        assertThat(seen.get(3)).startsWith("w: done (");
    }

    @Test
    void anInterruptedThreadGetsWaitInterruptedAndKeepsTheFlag() {
        AtomicInteger polls = new AtomicInteger();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> NamedWait.of("stack converged", Duration.ofSeconds(30))
                        .every(Duration.ofSeconds(10))
                        .until(
                                () -> {
                                    polls.incrementAndGet();
                                    return Poll.pending("0/1");
                                },
                                s -> {}))
                .isInstanceOf(NamedWait.WaitInterruptedException.class)
                .hasMessageContaining("stack converged");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(polls).hasValue(1);
    }

    @Test
    void anInterruptDuringTheSleepEndsTheWait() throws Exception {
        List<Throwable> thrown = new ArrayList<>();
        boolean[] flag = new boolean[1];
        java.util.concurrent.CountDownLatch polled = new java.util.concurrent.CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                NamedWait.of("slow", Duration.ofSeconds(60))
                        .every(Duration.ofSeconds(60))
                        .until(
                                () -> {
                                    polled.countDown();
                                    return Poll.pending("waiting");
                                },
                                s -> {});
            } catch (Throwable t) {
                thrown.add(t);
                flag[0] = Thread.currentThread().isInterrupted();
            }
        });
        waiter.start();
        polled.await();
        waiter.interrupt();
        waiter.join(5_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(thrown).singleElement().isInstanceOf(NamedWait.WaitInterruptedException.class);
        assertThat(flag[0]).isTrue();
    }

    @Test
    void aProbeThrowingInterruptedExceptionIsAnInterrupt() {
        assertThatThrownBy(() -> NamedWait.of("w", Duration.ofSeconds(30))
                        .until(
                                () -> {
                                    throw new InterruptedException();
                                },
                                s -> {}))
                .isInstanceOf(NamedWait.WaitInterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
}

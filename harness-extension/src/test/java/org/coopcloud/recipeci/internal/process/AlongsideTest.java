package org.coopcloud.recipeci.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A task beside the caller: its outcome comes back to the caller's thread, and a stop waits for it. */
class AlongsideTest {
    @Test
    void whatTheTaskThrowsComesBackToTheCaller() {
        IllegalStateException failure = new IllegalStateException("the proxy network cannot be made");

        Alongside task = Alongside.start("test-task", () -> {
            throw failure;
        });

        assertThat(task.await()).containsSame(failure);
        assertThatThrownBy(task::join).isSameAs(failure);
    }

    @Test
    void anErrorIsThrownOnTheCallersThread_notPrintedByTheTasksThread() throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        try {
            Alongside task = Alongside.start("test-task", () -> {
                throw new LinkageError("a class that does not load");
            });

            assertThatThrownBy(task::await).isInstanceOf(LinkageError.class);
            Thread.sleep(50);
            assertThat(uncaught.get()).as("nothing escaped the task's thread").isNull();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void anInterruptedWaitStopsTheTask_waitsForItsThread_andSaysSo() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean taskEnded = new AtomicBoolean();
        Alongside task = Alongside.start("test-task", () -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                try {
                    Thread.sleep(200); // a killed command's reaping
                } catch (InterruptedException again) {
                    // ends anyway
                }
                taskEnded.set(true);
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Object> answer = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            answer.set(task.await());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        while (caller.getState() != Thread.State.WAITING && caller.isAlive()) {
            Thread.sleep(5);
        }

        caller.interrupt();
        caller.join(10_000);

        assertThat(taskEnded).as("the task ended before the wait returned").isTrue();
        assertThat(answer.get().toString()).contains("interrupted while waiting for test-task");
        assertThat(stillInterrupted)
                .as("the caller's interrupt flag is set again")
                .isTrue();
    }
}

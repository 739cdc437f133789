package org.coopcloud.recipeci.internal.run;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coopcloud.recipeci.RecipeProfile;

/**
 * A profile whose settings take until the thread reading them is interrupted: a plan that is still being made when
 * the run stops (PlanAheadIT).
 */
public final class SlowPlanProfile implements RecipeProfile {
    static final String RECIPE = "fake-slow-plan";
    static volatile CountDownLatch reading = new CountDownLatch(1);
    static final AtomicBoolean interrupted = new AtomicBoolean();

    static void reset() {
        reading = new CountDownLatch(1);
        interrupted.set(false);
    }

    @Override
    public String recipe() {
        return RECIPE;
    }

    @Override
    public Map<String, String> extraEnv() {
        reading.countDown();
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            interrupted.set(true);
            Thread.currentThread().interrupt();
        }
        return Map.of();
    }
}

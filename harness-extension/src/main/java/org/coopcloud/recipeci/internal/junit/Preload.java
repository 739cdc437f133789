package org.coopcloud.recipeci.internal.junit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Class loading ahead of use. A run's main thread first reads its configuration, checks docker and sets the run up,
 * mostly waiting for docker's children; meanwhile this thread loads and initialises what the main thread needs next:
 * Jackson (every Engine API answer is JSON; its first mapper loads some 500 classes) and the JUnit Platform's
 * launcher with the Jupiter engine (discovery; some 700). On a 2-core host the main thread then finds them ready
 * instead of loading them one after the other. It does none of the run's work: a throwaway mapper reads a constant,
 * and a launcher of its own discovers an empty request. Nothing depends on it; a failure is ignored.
 */
final class Preload {
    private Preload() {}

    /** Starts the preload on a daemon thread of its own. */
    static void start() {
        Thread preload = new Thread(Preload::load, "recipe-ci-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /** Whether everything loaded: for the test that the preload does what it names. */
    static boolean load() {
        try {
            new ObjectMapper().readTree("{\"preload\":[1]}");
            LauncherFactory.create()
                    .discover(LauncherDiscoveryRequestBuilder.request().build());
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}

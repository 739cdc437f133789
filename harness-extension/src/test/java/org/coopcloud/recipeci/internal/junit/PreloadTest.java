package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreloadTest {

    @Test
    void thePreloadRunsThroughJacksonAndAnEmptyDiscovery_withoutFailingOnTheWay() {
        // A preload that failed early (a missing class, a discovery that refuses an empty request) would load
        // nothing of what the run's main thread needs next.
        assertThat(Preload.load()).isTrue();
    }
}

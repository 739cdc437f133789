package org.coopcloud.recipeci.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void theWarmUpRequestIsAnsweredAndPassesItsJsonChecks_soEverythingATierTestUsesFirstIsLoaded() {
        // A warm-up that failed on the way (refused, a check that does not hold) would leave the JSON path, the
        // matchers or the response parsing cold for the first tier test.
        assertThat(Warmup.warm()).isTrue();
        assertThat(Warmup.warm()).as("a second time, on a port of its own").isTrue();
    }
}

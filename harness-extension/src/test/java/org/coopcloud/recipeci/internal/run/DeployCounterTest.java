package org.coopcloud.recipeci.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.junit.jupiter.api.Test;

class DeployCounterTest {
    private static final AppDomain APP = new AppDomain("hell-1a2b3c.ci.example.org");
    private static final AppDomain OTHER = new AppDomain("hell-4d5e6f.ci.example.org");
    private static final AppDomain DEP = new AppDomain("keyc-777777.ci.example.org");

    @Test
    void oneCreationPerRunIsAllowed() {
        DeployCounter counter = new DeployCounter(0);
        counter.recordCreation(APP);
        assertThat(counter.created()).containsExactly(APP);
    }

    @Test
    void aSecondCreationFailsTheRunLoudly() {
        DeployCounter counter = new DeployCounter(0);
        counter.recordCreation(APP);

        assertThatThrownBy(() -> counter.recordCreation(OTHER))
                .isInstanceOf(DeployFailedException.class)
                .hasMessageContaining("already created [" + APP + "]")
                .hasMessageContaining(OTHER.value())
                .hasMessageContaining("recipe-ci bug");
        assertThat(counter.created()).containsExactly(APP);
    }

    @Test
    void declaredDependenciesAddToTheAllowance() {
        DeployCounter counter = new DeployCounter(1);
        counter.recordCreation(DEP);
        counter.recordCreation(APP);

        assertThatThrownBy(() -> counter.recordCreation(OTHER)).isInstanceOf(DeployFailedException.class);
    }
}

package org.coopcloud.recipeci.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.coopcloud.recipeci.HostFaultException;
import org.coopcloud.recipeci.RecipeCiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostFaultsTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                // git on a full disk (HostFaultsIT's checkout), and the kernel's own words
                "error: unable to write file release/1.1.0+2.1\n"
                        + "fatal: sha1 file '/runs/full/recipes/hello/.git/index.lock' write error. Out of diskspace",
                "cannot write /runs/full/logs/commands.log: No space left on device",
                "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
                "open /runs/x: read-only file system"
            })
    void theHostsWordsMakeAFailureTheHosts(String text) {
        RuntimeException failure = new RecipeCiException("upgrade failed: " + text);

        assertThat(HostFaults.in(failure)).isPresent();
        assertThat(HostFaults.classify(failure)).isInstanceOf(HostFaultException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "yaml: line 10: did not find expected ',' or ']'",
                "service app: task failed: exit code 1",
                "error: pathspec 'no-such-branch' did not match any file(s) known to git"
            })
    void aRecipesFailureStaysTheRecipes(String text) {
        RuntimeException failure = new RecipeCiException(text);

        assertThat(HostFaults.in(failure)).isEmpty();
        assertThat(HostFaults.classify(failure)).isSameAs(failure);
    }
}

package org.coopcloud.recipeci.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path runs;

    private static final long ME = ProcessHandle.current().pid();

    @Test
    void claimWritesTheOwnerPid() throws Exception {
        RunDirectory dir = RunDirectory.claim(runs.resolve("42"));

        assertThat(dir.path().resolve("owner.pid")).hasContent(ME + "");
    }

    @Test
    void aRunIdHeldByAnotherLiveProcessIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path dir = Files.createDirectories(runs.resolve("42"));
        Files.writeString(dir.resolve("owner.pid"), "4242\n");
        Process holder = new ProcessBuilder(
                        "flock", "-x", dir.resolve(".owner.lock").toString(), "sh", "-c", "echo held; exec sleep 300")
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(5))).isEqualTo("held\n");

            assertThatThrownBy(() -> RunDirectory.claim(dir))
                    .isInstanceOf(RecipeConfigurationException.class)
                    .hasMessageContaining("belongs to the live process 4242")
                    .hasMessageContaining("recipeci.run-id");
            assertThat(dir.resolve("owner.pid")).hasContent("4242");
        } finally {
            // flock runs the shell as its child: kill the whole tree, or the sleep outlives the test.
            holder.descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void aClaimedDirectoryIsRefusedToASecondRunInTheSameProcessUntilItIsGivenUp() {
        RunDirectory first = RunDirectory.claim(runs.resolve("7"));

        assertThatThrownBy(() -> RunDirectory.claim(runs.resolve("7")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining(
                        "belongs to the live process " + ProcessHandle.current().pid());

        first.close();
        try (RunDirectory again = RunDirectory.claim(runs.resolve("7"))) {
            assertThat(again.path()).isEqualTo(first.path());
        }
    }

    @Test
    void stateFilesAreKeyedByRunIdAndPidNeverByDomain() {
        RunDirectory dir = RunDirectory.claim(runs.resolve("build-7"));

        Path state = dir.stateFile("deploys");

        assertThat(state.getFileName().toString()).isEqualTo("deploys-build-7-" + ME);
        assertThat(state.toString()).doesNotContain("ci.commoninternet.net");
    }

    @Test
    void freshEmptiesAnOldCheckout() throws Exception {
        RunDirectory dir = RunDirectory.claim(runs.resolve("9"));
        Path old = Files.createDirectories(dir.path().resolve("recipes/hello/sub"));
        Files.writeString(old.resolve("file"), "x");

        Path fresh = dir.fresh("recipes", "hello");

        assertThat(fresh).doesNotExist();
    }
}

package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class directories the entrypoint has JUnit scan for a recipe's tier classes. */
class TierRootsTest {
    @TempDir
    Path tmp;

    @Test
    void everyClassDirectoryButTheHarnessesOwn_jarsAndMissingEntriesLeftOut() throws Exception {
        Path recipeTests = Files.createDirectories(tmp.resolve("recipe-tests/target/test-classes"));
        Path harness = Files.createDirectories(tmp.resolve("harness-extension/target/classes"));
        Path jar = Files.createFile(tmp.resolve("junit.jar"));
        String classPath = String.join(
                File.pathSeparator,
                recipeTests.toString(),
                harness.toString() + "/",
                jar.toString(),
                tmp.resolve("gone").toString(),
                "");

        assertThat(RecipeCiMain.tierRoots(classPath, Optional.of(harness))).containsExactly(recipeTests);
        assertThat(RecipeCiMain.tierRoots(classPath, Optional.empty()))
                .as("where the harness's classes came from is unknown: every directory")
                .containsExactly(recipeTests, harness);
    }

    @Test
    void relativeEntriesAreResolvedBeforeTheyAreCompared() {
        Path here = Path.of("").toAbsolutePath();

        assertThat(RecipeCiMain.tierRoots(".", Optional.of(here))).isEmpty();
        assertThat(RecipeCiMain.tierRoots(".", Optional.empty())).containsExactly(here);
    }
}

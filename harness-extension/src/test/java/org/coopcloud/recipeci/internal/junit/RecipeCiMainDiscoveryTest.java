package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.junit.untiered.UntieredFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherFactory;

/** The run's own discovery request, as the entrypoint makes it. */
class RecipeCiMainDiscoveryTest {
    @Test
    void aClassOfTheRunsRecipeWithoutTierIsNamedByTheRunsDiscovery(@TempDir Path reports) throws Exception {
        TierSelection selection = new TierSelection(new RecipeName("untiered-fixture"), EnumSet.allOf(Stage.class));
        Path testClasses = Path.of(UntieredFixture.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());

        LauncherFactory.create().discover(RecipeCiMain.request(reports, selection, Set.of(testClasses)));

        assertThat(selection.untieredLines()).singleElement().satisfies(line -> assertThat(line)
                .contains(UntieredFixture.class.getName()));
    }
}

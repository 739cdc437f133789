package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeCatalogueTest {

    @Test
    void releasesAreTheTagsAbrasCatalogueTakes_oldestFirst() {
        assertThat(RecipeCatalogue.versionsOf(Stream.of(
                        "latest",
                        "v2.4.8",
                        "main-backup",
                        "1.2.3+4.5",
                        "1.2+3",
                        " 0.3.0+2021.10 ",
                        "1.2.3.4",
                        "1.0.0+1.0.5-social-amd64")))
                .extracting(Version::value)
                .containsExactly("0.3.0+2021.10", "1.0.0+1.0.5-social-amd64", "1.2.3+4.5", "v2.4.8");
    }

    @Test
    void sortsOldestFirstNumerically() {
        assertThat(RecipeCatalogue.versionsOf(
                        Stream.of("1.10.0+1", "2.0.0", "1.9.0+2", "1.99.99+9", "0.1.0", "1.9.0+1")))
                .extracting(Version::value)
                .containsExactly("0.1.0", "1.9.0+1", "1.9.0+2", "1.10.0+1", "1.99.99+9", "2.0.0");
    }

    @Test
    void aRecipeTheCatalogueLacksIsRefusedNamingTheClosestItHas(@TempDir Path home) throws Exception {
        for (String recipe : List.of("foodsharing", "hello", "notes")) {
            Files.createDirectories(home.resolve("recipes").resolve(recipe).resolve(".git"));
        }
        RecipeCatalogue catalogue = new RecipeCatalogue(home, new CommandRunner());

        assertThatThrownBy(() -> catalogue.repository(new RecipeName("foodsharing-cm")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'foodsharing-cm' is not in the catalogue")
                .hasMessageContaining("did you mean 'foodsharing'?");
    }
}

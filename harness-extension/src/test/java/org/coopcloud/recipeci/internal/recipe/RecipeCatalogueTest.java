package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeCatalogueTest {

    private static List<String> sorted(String... versions) {
        return Stream.of(versions)
                .map(Version::new)
                .sorted(Comparator.comparing(RecipeCatalogue::sortKey))
                .map(Version::value)
                .toList();
    }

    private static int compare(String a, String b) {
        return RecipeCatalogue.sortKey(new Version(a)).compareTo(RecipeCatalogue.sortKey(new Version(b)));
    }

    @Test
    void minorVersionsCompareNumerically() {
        assertThat(compare("1.10.0+1", "1.9.0+2")).isPositive();
    }

    @Test
    void majorBeatsEverythingBelowIt() {
        assertThat(compare("2.0.0", "1.99.99+9")).isPositive();
    }

    @Test
    void patchVersionsCompareNumerically() {
        assertThat(compare("1.0.10", "1.0.9")).isPositive();
    }

    @Test
    void sameSemverOrdersByUpstreamPart() {
        assertThat(compare("1.0.0+2.1", "1.0.0+2.0")).isPositive();
        assertThat(compare("1.0.0+2.0", "1.0.0")).isPositive();
        assertThat(compare("1.0.0+2.0", "1.0.0+2.0")).isZero();
    }

    @Test
    void sortsOldestFirst() {
        assertThat(sorted("1.10.0+1", "2.0.0", "1.9.0+2", "1.99.99+9", "0.1.0", "1.9.0+1"))
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

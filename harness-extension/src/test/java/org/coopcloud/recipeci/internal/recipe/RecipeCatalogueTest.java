package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.coopcloud.recipeci.Version;
import org.junit.jupiter.api.Test;

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
}

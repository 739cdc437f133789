package org.coopcloud.recipeci.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.coopcloud.recipeci.recipes.LongestFirst;
import org.junit.jupiter.api.Test;

/** The ITs' start order names classes that exist: a renamed IT would silently drop to the end of it. */
class LongestFirstTest {
    @Test
    void everyNamedClassIsAnItOfThisModule() throws IOException {
        List<String> its;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            its = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith("IT.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length()))
                    .toList();
        }
        assertThat(its).containsAll(LongestFirst.longest());
    }
}

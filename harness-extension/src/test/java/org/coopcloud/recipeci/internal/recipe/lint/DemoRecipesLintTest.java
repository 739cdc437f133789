package org.coopcloud.recipeci.internal.recipe.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo recipes — every release and branch under {@code demo/recipes} — satisfy every error rule of abra's lint,
 * so their runs can reach L5; and the catalogue {@code scripts/catalogue} builds from them tags releases the way
 * abra does (annotated tags, R014).
 */
class DemoRecipesLintTest {
    static final Path DEMO = Path.of("../demo/recipes").toAbsolutePath().normalize();

    /** hello's branch whose compose.yml is not YAML on purpose: the run stops before lint, with exit 2. */
    static final Path NOT_YAML = DEMO.resolve("hello/branches/broken-compose");

    static Stream<Path> trees() throws Exception {
        try (Stream<Path> found = Files.find(
                DEMO,
                3,
                (p, a) -> a.isDirectory()
                        && p.getParent().getFileName().toString().matches("releases|branches"))) {
            return found.sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trees")
    void everyReleaseAndBranchPassesEveryErrorRule(Path tree) {
        LintReport report = RecipeLinter.lint(tree, new CommandRunner());

        if (tree.equals(NOT_YAML)) {
            assertThat(report.unreadable())
                    .hasValueSatisfying(why -> assertThat(why).contains("not valid YAML"));
            return;
        }
        assertThat(report.errorLines())
                .as(DEMO.relativize(tree) + ": " + report.summary())
                .isEmpty();
    }

    @Test
    void theDemoCatalogueTagsReleasesAsAbraDoes_andItsRecipesPassAtTheirDefaultBranch(@TempDir Path home)
            throws Exception {
        Process catalogue = new ProcessBuilder("../scripts/catalogue", "--recipes-home", home.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(catalogue.getInputStream().readAllBytes());
        assertThat(catalogue.waitFor()).as(out).isZero();

        List<Path> repos;
        try (Stream<Path> listed = Files.list(home)) {
            repos = listed.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(repos).extracting(p -> p.getFileName().toString()).contains("hello", "notes", "pgnotes");
        for (Path repo : repos) {
            LintReport report = RecipeLinter.lint(repo, new CommandRunner());
            assertThat(report.notJudged()).extracting(NotJudged::rule).doesNotContain("R014");
            assertThat(report.errorLines())
                    .as(repo.getFileName() + ": " + report.summary())
                    .isEmpty();
        }
    }
}

package org.coopcloud.recipeci.internal.recipe.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.testsupport.RealRecipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * abra's lint on the two real recipes of {@code shared/real-recipes} (git bundles with their tags), unmodified: the
 * findings are what abra says of them (docs/recipe-authoring.md, "Lint"). Skipped when the bundles are absent: a
 * clone of the project on its own does not have them.
 */
class RealRecipesLintTest {
    private static LintReport lint(String recipe, Path tmp) throws Exception {
        return RecipeLinter.lint(RealRecipes.cloneInto(recipe, tmp.resolve(recipe)), new CommandRunner());
    }

    @Test
    void traefik_itsLightweightReleaseTagIsAnR014Error(@TempDir Path tmp) throws Exception {
        LintReport report = lint("traefik", tmp);

        assertThat(report.errors()).extracting(Finding::rule).containsExactly("R014");
        assertThat(report.errors().get(0).problems()).containsExactly("tag v2.4.8 is lightweight");
        assertThat(report.warnings()).extracting(Finding::rule).containsExactly("R015");
        assertThat(report.warnings().get(0).problems())
                .containsExactly(
                        "secret 'ovh_app_secret' is 14 characters", "secret 'ovh_consumer_key' is 16 characters");
        assertThat(report.passes()).isFalse();
    }

    @Test
    void bonfire_passesEveryErrorRule_withWarningsForHealthchecksMetadataAndSecretNames(@TempDir Path tmp)
            throws Exception {
        LintReport report = lint("bonfire", tmp);

        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).extracting(Finding::rule).containsExactly("R002", "R007", "R015");
        assertThat(report.warnings().get(0).problems())
                .containsExactly("service 'search' (compose.sonic.yml) has no healthcheck");
        assertThat(report.warnings().get(1).problems())
                .containsExactly("README.md metadata has no value for Backups, Email, Healthcheck, SSO");
        assertThat(report.passes()).isTrue();
    }
}

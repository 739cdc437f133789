package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The abra.sh vectors of the research note: parsed, never run. */
class AbraShTest {
    @Test
    void plainExportsAreTakenAsTheyAre() {
        assertThat(AbraSh.parse("export PG_BACKUP_VERSION=v6\nexport A=v1.2\nexport B=v1 # note\n", "abra.sh"))
                .containsExactly(entry("PG_BACKUP_VERSION", "v6"), entry("A", "v1.2"), entry("B", "v1 # note"));
    }

    @Test
    void exportsAbraDoesNotTakeAreIgnored() {
        String text = String.join(
                "\n",
                "export A=\"v1\"",
                "export B=$C",
                "  export D=v1",
                "E=v1",
                "export  F=v1",
                "export G=",
                "# export H=v1",
                "version() {",
                "  export I=v1",
                "  wget -q -O - http://127.0.0.1:${PORT}/version",
                "}",
                "export J=$(cat /etc/hostname)");

        assertThat(AbraSh.parse(text, "abra.sh")).isEmpty();
    }

    @Test
    void aLaterExportWins_andACarriageReturnIsNoPartOfTheValue() {
        assertThat(AbraSh.parse("export A=v1\r\nexport A=v2\r\n", "abra.sh")).containsExactly(entry("A", "v2"));
    }

    @Test
    void anExportWithTwoEqualsSignsIsRefusedAsAbraRefusesIt() {
        assertThatThrownBy(() -> AbraSh.parse("# versions\nexport A=v1=x\n", "recipes/x/abra.sh"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipes/x/abra.sh line 2 'export A=v1=x'")
                .hasMessageContaining("one '='");
    }

    @Test
    void aRecipeWithoutAbraShExportsNothing(@TempDir Path dir) throws Exception {
        assertThat(AbraSh.read(dir.resolve("abra.sh"))).isEmpty();
        Files.writeString(dir.resolve("abra.sh"), "export APP_ENTRYPOINT_VERSION=v4\n");
        assertThat(AbraSh.read(dir.resolve("abra.sh"))).containsExactly(entry("APP_ENTRYPOINT_VERSION", "v4"));
    }

    @Test
    void theFileIsNeverRun(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("ran");
        Files.writeString(dir.resolve("abra.sh"), "touch " + marker + "\nexport A=v1\n$(touch " + marker + ")\n");

        assertThat(AbraSh.read(dir.resolve("abra.sh"))).containsExactly(entry("A", "v1"));
        assertThat(marker).doesNotExist();
    }

    @Test
    void anAbraShThatIsASymbolicLinkIsRefused_notFollowedOutOfTheCheckout(@TempDir Path dir) throws Exception {
        // A pull request controls the checkout: abra.sh -> a host file whose export lines would reach the compose
        // files' interpolation (and from there a label or an environment variable the PR author can read).
        Path hostFile = Files.writeString(dir.resolve("host-profile"), "export GITEA_TOKEN=tok123\n");
        Path checkout = Files.createDirectory(dir.resolve("checkout"));
        Files.createSymbolicLink(checkout.resolve("abra.sh"), hostFile);

        assertThatThrownBy(() -> AbraSh.read(checkout.resolve("abra.sh")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("abra.sh is a symbolic link")
                .hasMessageNotContaining("tok123");
    }
}

package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbraDirTest {
    @TempDir
    Path tmp;

    private Path canonical(String... servers) throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve("servers"));
        for (String server : servers) {
            Files.createDirectories(home.resolve("servers").resolve(server));
        }
        return home;
    }

    @Test
    void theOnlyConfiguredServerIsTheDefault() throws Exception {
        AbraDir dir = new AbraDir(tmp.resolve("run/abra"), canonical("local"), Optional.empty());
        assertThat(dir.server()).isEqualTo("local");
        assertThat(dir.envFile(new AppDomain("hell-abcdef.ci.example.org")))
                .isEqualTo(tmp.resolve("home/servers/local/hell-abcdef.ci.example.org.env"));
    }

    @Test
    void aServerAddedWhileTheRunLivesDoesNotChangeItsServer() throws Exception {
        AbraDir dir = new AbraDir(tmp.resolve("run/abra"), canonical("local"), Optional.empty());
        assertThat(dir.server()).isEqualTo("local");

        Files.createDirectories(tmp.resolve("home/servers/another"));

        assertThat(dir.server()).as("the teardown still knows where the app is").isEqualTo("local");
        dir.prepare();
    }

    @Test
    void noServerTellsHowToAddOne() throws Exception {
        AbraDir dir = new AbraDir(tmp.resolve("run/abra"), canonical(), Optional.empty());
        assertThatThrownBy(dir::server)
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has none")
                .hasMessageContaining("abra server add")
                .hasMessageContaining("recipeci.abra-home");
    }

    @Test
    void aMissingAbraHomeIsNoServerEither() {
        AbraDir dir = new AbraDir(tmp.resolve("run/abra"), tmp.resolve("nowhere"), Optional.empty());
        assertThatThrownBy(dir::prepare)
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has none");
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void severalServersAskForOneToBeNamed() throws Exception {
        AbraDir dir =
                new AbraDir(tmp.resolve("run/abra"), canonical("b.example.org", "a.example.org"), Optional.empty());
        assertThatThrownBy(dir::server)
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has 2 servers (a.example.org, b.example.org)")
                .hasMessageContaining("-Drecipeci.abra-server=NAME");
        assertThat(new AbraDir(tmp.resolve("run/abra"), tmp.resolve("home"), Optional.of("b.example.org")).server())
                .isEqualTo("b.example.org");
    }

    @Test
    void aNamedServerThatIsNotConfiguredSaysWhichAre() throws Exception {
        AbraDir dir = new AbraDir(tmp.resolve("run/abra"), canonical("local"), Optional.of("remote"));
        assertThatThrownBy(dir::server)
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.abra-server 'remote' is not configured")
                .hasMessageContaining("(configured: local)");
    }

    @Test
    void prepareLinksServersAndCatalogueAndKeepsACheckout() throws Exception {
        Path home = canonical("local");
        AbraDir dir = new AbraDir(tmp.resolve("run/abra"), home, Optional.empty());
        Path checkout = dir.recipe(new RecipeName("hello"));
        Files.createDirectories(checkout);
        Files.writeString(checkout.resolve("compose.yml"), "services: {}\n");

        dir.prepare();
        dir.prepare();

        for (String shared : AbraDir.SHARED) {
            Path link = tmp.resolve("run/abra").resolve(shared);
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(Files.readSymbolicLink(link))
                    .isEqualTo(home.resolve(shared).toAbsolutePath());
        }
        assertThat(home.resolve("catalogue")).isDirectory();
        assertThat(checkout.resolve("compose.yml")).hasContent("services: {}");
        Files.writeString(tmp.resolve("run/abra/servers/local/x.env"), "TYPE=x\n");
        assertThat(home.resolve("servers/local/x.env"))
                .as("env files land in the canonical directory")
                .exists();
    }

    @Test
    void aLinkLeftPointingElsewhereIsReplaced() throws Exception {
        Path home = canonical("local");
        Files.createDirectories(tmp.resolve("run/abra"));
        Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(tmp.resolve("run/abra/servers"), tmp.resolve("elsewhere"));

        new AbraDir(tmp.resolve("run/abra"), home, Optional.empty()).prepare();

        assertThat(tmp.resolve("run/abra/servers").toRealPath())
                .isEqualTo(home.resolve("servers").toRealPath());
    }

    @Test
    void aRealDirectoryWhereALinkBelongsIsRefused() throws Exception {
        Path home = canonical("local");
        Files.createDirectories(tmp.resolve("run/abra/servers/local"));

        assertThatThrownBy(() -> new AbraDir(tmp.resolve("run/abra"), home, Optional.empty()).prepare())
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("is a real directory")
                .hasMessageContaining("remove it");
    }
}

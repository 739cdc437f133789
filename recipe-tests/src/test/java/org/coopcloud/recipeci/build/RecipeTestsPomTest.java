package org.coopcloud.recipeci.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.SourceRepository;
import org.coopcloud.recipeci.internal.report.gitea.GiteaConfig;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * `mvn verify -Drecipe=NAME` runs the entrypoint in a forked JVM, which sees only the properties the pom forwards.
 * Every configuration knob must be forwarded, or a documented `-Drecipeci.X=...` would be silently ignored.
 */
class RecipeTestsPomTest {
    @Test
    void everyConfigurationKnobIsForwardedToTheForkedHarness() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        RunConfig sample = new RunConfig(
                new RecipeName("hello"),
                Optional.empty(),
                Optional.of("main"),
                EnumSet.allOf(Stage.class),
                new RunId("1"),
                Path.of("/r"),
                Path.of("/h"),
                Path.of("/l"),
                RunConfig.DEFAULT_DOMAIN_SUFFIX,
                "0",
                "abra",
                false,
                Duration.ofMinutes(60),
                Optional.of(new SourceRepository("https://git.example.org/forks/hello.git")),
                Optional.of(Path.of("/run/secrets/git-token")),
                Optional.of(Path.of("/abra")),
                Optional.of("local"));

        for (String key : sample.asParameters().keySet()) {
            if (key.equals("recipeci.recipe")
                    || key.equals("recipeci.stages")
                    || key.equals("recipeci.home")
                    || key.equals("recipeci.runs-dir")) {
                continue; // forwarded under their short names (recipe, stages) or with a module default
            }
            assertThat(pom)
                    .as("recipe-tests/pom.xml forwards " + key)
                    .contains("<argument>-D" + key + "=${" + key + "}</argument>");
        }
        for (String key : GiteaConfig.KNOBS) {
            assertThat(pom)
                    .as("recipe-tests/pom.xml forwards " + key)
                    .contains("<" + key + "></" + key + ">")
                    .contains("<argument>-D" + key + "=${" + key + "}</argument>");
        }
        assertThat(pom).as("the Gitea token is never a -D argument").doesNotContain("recipeci.gitea.token=");
        assertThat(pom)
                .contains("<argument>-Drecipeci.recipe=${recipe}</argument>")
                .contains("<argument>-Drecipeci.stages=${stages}</argument>")
                .contains("<argument>-Drecipeci.home=${recipeci.home}</argument>")
                .contains("<argument>-Drecipeci.runs-dir=${recipeci.runs-dir}</argument>")
                .contains("<argument>-Drecipeci.version=${recipeci.version}</argument>")
                .as("the short -Ddriver=NAME works under Maven too")
                .contains("<argument>-Ddriver=${driver}</argument>");
    }

    @Test
    void runsDirFromTheEnvironmentBeatsTheModuleDefault() throws Exception {
        // The module default is forwarded as -Drecipeci.runs-dir=..., which the harness ranks above RECIPECI_RUNS_DIR:
        // without a profile that takes the variable over, a host's RECIPECI_RUNS_DIR would be silently ignored.
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        Optional<Element> fromEnv = Optional.empty();
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            NodeList names = profile.getElementsByTagName("name");
            if (names.getLength() == 1 && names.item(0).getTextContent().strip().equals("env.RECIPECI_RUNS_DIR")) {
                fromEnv = Optional.of(profile);
            }
        }
        assertThat(fromEnv).as("a profile activated by env.RECIPECI_RUNS_DIR").isPresent();
        NodeList runsDir = fromEnv.get().getElementsByTagName("recipeci.runs-dir");
        assertThat(runsDir.getLength()).isEqualTo(1);
        assertThat(runsDir.item(0).getTextContent().strip()).isEqualTo("${env.RECIPECI_RUNS_DIR}");
    }

    @Test
    void theGitTokenIsNeverAMavenProperty() throws Exception {
        // A -D value shows in every process listing; the token reaches the forked JVM through its environment.
        assertThat(Files.readString(Path.of("pom.xml")))
                .contains("recipeci.git-token-file")
                .doesNotContain("recipeci.git-token=")
                .doesNotContain("${recipeci.git-token}")
                .doesNotContain("RECIPECI_GIT_TOKEN}");
    }
}

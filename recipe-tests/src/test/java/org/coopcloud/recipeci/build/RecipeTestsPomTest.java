package org.coopcloud.recipeci.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * `mvn verify -Drecipe=NAME` runs the entrypoint in a forked JVM, which sees only the properties the pom forwards.
 * Every configuration knob must be forwarded, or a documented `-Drecipeci.X=...` would be silently ignored.
 */
class RecipeTestsPomTest {
    @Test
    void everyConfigurationKnobIsForwardedToTheForkedHarness() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        for (ConfigKey key : ConfigKey.values()) {
            if (key == ConfigKey.GITEA_TOKEN
                    || key == ConfigKey.RECIPE
                    || key == ConfigKey.HOME
                    || key == ConfigKey.RUNS_DIR
                    || key == ConfigKey.CLASS_DATA_ARCHIVE) {
                continue; // never a property (the token), forwarded under short names or with a module default
            }
            assertThat(pom)
                    .as("recipe-tests/pom.xml declares and forwards " + key)
                    .contains("<" + key.key() + "></" + key.key() + ">")
                    .contains("<argument>-D" + key.key() + "=${" + key.key() + "}</argument>");
        }
    }

    @Test
    void aKeyWithAShortNameIsForwardedUnderBothNames() throws Exception {
        // -Drecipeci.stages=install once reached the harness as the empty ${stages}: all five tiers ran.
        String pom = Files.readString(Path.of("pom.xml"));
        for (ConfigKey key : ConfigKey.values()) {
            if (key == ConfigKey.RECIPE || key.alias().isEmpty()) {
                continue; // a recipe run is switched on by -Drecipe; -Drecipeci.recipe alone fails the build
            }
            String alias = key.alias().get();
            assertThat(pom)
                    .as("recipe-tests/pom.xml forwards " + alias + " and " + key.key() + " each as given")
                    .contains("<" + alias + "></" + alias + ">")
                    .contains("<argument>-D" + alias + "=${" + alias + "}</argument>")
                    .contains("<argument>-D" + key.key() + "=${" + key.key() + "}</argument>");
        }
    }

    @Test
    void runsDirFromTheEnvironmentBeatsTheModuleDefault() throws Exception {
        assertTheEnvironmentBeatsTheModuleDefault("RECIPECI_RUNS_DIR", "recipeci.runs-dir");
    }

    @Test
    void theClassDataArchiveFromTheEnvironmentBeatsTheModuleDefault() throws Exception {
        assertTheEnvironmentBeatsTheModuleDefault("RECIPECI_CLASS_DATA_ARCHIVE", "recipeci.class-data-archive");
    }

    /**
     * The module default is forwarded as -Dkey=..., which the harness ranks above the variable: without a profile
     * that takes the variable over, a host's setting would be silently ignored.
     */
    private static void assertTheEnvironmentBeatsTheModuleDefault(String variable, String key) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        Optional<Element> fromEnv = Optional.empty();
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            NodeList names = profile.getElementsByTagName("name");
            if (names.getLength() == 1 && names.item(0).getTextContent().strip().equals("env." + variable)) {
                fromEnv = Optional.of(profile);
            }
        }
        assertThat(fromEnv).as("a profile activated by env." + variable).isPresent();
        NodeList value = fromEnv.get().getElementsByTagName(key);
        assertThat(value.getLength()).isEqualTo(1);
        assertThat(value.item(0).getTextContent().strip()).isEqualTo("${env." + variable + "}");
    }

    @Test
    void theRunsJvmStartsWithItsJarsFirstAndAClassDataArchive() throws Exception {
        // A JVM maps a class-data archive only when its class path starts with the jars the archive was made from;
        // Maven hands the class path over with the module's class directories first, so the script reorders it.
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
        Element execution = null;
        NodeList executions = pom.getElementsByTagName("execution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element candidate = (Element) executions.item(i);
            if (text(candidate, "id").equals("recipe-ci-run")) {
                execution = candidate;
            }
        }
        assertThat(execution).as("the recipe-run profile's exec execution").isNotNull();
        assertThat(text(execution, "executable")).isEqualTo("${project.basedir}/../scripts/java-jars-first");
        assertThat(Path.of("../scripts/java-jars-first")).isExecutable();
        Element arguments =
                (Element) execution.getElementsByTagName("arguments").item(0);
        List<String> shape = new ArrayList<>();
        for (Node n = arguments.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                shape.add(
                        e.getTagName().equals("classpath")
                                ? "<classpath/>"
                                : e.getTextContent().strip());
            }
        }
        assertThat(shape.subList(0, 2))
                .as("the script's usage: JAVA CLASSPATH [ARG...]")
                .containsExactly("${java.home}/bin/java", "<classpath/>");
        assertThat(shape)
                .contains(
                        "-XX:SharedArchiveFile=${recipeci.class-data-archive}",
                        "-Drecipeci.class-data-archive=${recipeci.class-data-archive}")
                .doesNotContain("-classpath", "-cp")
                .last()
                .isEqualTo("org.coopcloud.recipeci.launcher.RecipeCi");
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
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

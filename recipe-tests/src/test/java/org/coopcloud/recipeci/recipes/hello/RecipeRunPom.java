package org.coopcloud.recipeci.recipes.hello;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A throwaway Maven project made of the {@code recipe-run} profile of {@code recipe-tests/pom.xml}: the same
 * properties, the same exec-maven-plugin execution with the same arguments, the plugin version of the parent pom. What
 * differs: the profile's {@code <classpath/>} becomes a given classpath (the project has no dependencies of its own),
 * extra JVM arguments go before the main class, the script that starts the JVM is named from the real module, and the
 * host's class-data archive is not used. An IT can then run {@code mvn verify -Drecipe=…} the way CI
 * does without building this project again in target directories the outer build is using.
 */
final class RecipeRunPom {
    private static final String POM_NS = "http://maven.apache.org/POM/4.0.0";
    private static final String PROFILE = "recipe-run";
    private static final String EXEC_PLUGIN = "exec-maven-plugin";

    private RecipeRunPom() {}

    /**
     * Writes {@code pom.xml} into {@code dir}.
     *
     * @param moduleDir the recipe-tests module (its parent directory holds the parent pom)
     */
    static Path write(Path moduleDir, Path dir, String classpath, List<String> jvmArguments) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document module =
                factory.newDocumentBuilder().parse(moduleDir.resolve("pom.xml").toFile());
        Document parent = factory.newDocumentBuilder()
                .parse(moduleDir.resolveSibling("pom.xml").toFile());

        Document pom = factory.newDocumentBuilder().newDocument();
        Element project = pom.createElementNS(POM_NS, "project");
        pom.appendChild(project);
        text(project, "modelVersion", "4.0.0");
        text(project, "groupId", "org.coopcloud.recipeci.it");
        text(project, "artifactId", "recipe-run");
        text(project, "version", "0");
        text(project, "packaging", "pom");
        Element properties = (Element) pom.importNode(direct(module.getDocumentElement(), "properties"), true);
        project.appendChild(properties);
        // The run's JVM gets no class-data archive of the host's: the ITs give their runs their own (SharedClasses).
        direct(properties, "recipeci.class-data-archive").setTextContent("");

        Element managed = child(child(child(child(project, "build"), "pluginManagement"), "plugins"), "plugin");
        Element parentPlugin = find(
                parent,
                "plugin",
                "artifactId",
                EXEC_PLUGIN,
                "the parent pom does not manage " + EXEC_PLUGIN
                        + ": the recipe-run profile needs its version pinned in <pluginManagement>");
        for (String name : List.of("groupId", "artifactId", "version")) {
            managed.appendChild(pom.importNode(direct(parentPlugin, name), true));
        }

        Element profile = (Element) pom.importNode(
                find(
                        module,
                        "profile",
                        "id",
                        PROFILE,
                        "recipe-tests/pom.xml has no profile '" + PROFILE + "': this IT runs the profile that"
                                + " `mvn verify -Drecipe=NAME` activates; update it with the pom"),
                true);
        child(project, "profiles").appendChild(profile);
        // The executable is the project's script, named relative to the module: named here from the real module.
        only(profile, "executable")
                .setTextContent(moduleDir
                        .resolveSibling("scripts")
                        .resolve("java-jars-first")
                        .toAbsolutePath()
                        .toString());
        Element arguments = only(profile, "arguments");
        Element placeholder = only(arguments, "classpath");
        arguments.replaceChild(argument(pom, classpath), placeholder);
        NodeList given = arguments.getElementsByTagNameNS(POM_NS, "argument");
        Node mainClass = given.item(given.getLength() - 1);
        if (mainClass.getTextContent().startsWith("-")) {
            throw new IllegalStateException("the last argument of the recipe-run profile is '"
                    + mainClass.getTextContent() + "', not the main class: RecipeRunPom puts JVM arguments before it");
        }
        for (String jvmArgument : jvmArguments) {
            arguments.insertBefore(argument(pom, jvmArgument), mainClass);
        }

        Files.createDirectories(dir);
        Path file = dir.resolve("pom.xml");
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.INDENT, "yes");
        transformer.transform(new DOMSource(pom), new StreamResult(file.toFile()));
        return file;
    }

    /** The {@code <tag>} whose child {@code <key>} reads {@code value}. */
    private static Element find(Document pom, String tag, String key, String value, String ifMissing) {
        NodeList candidates = pom.getElementsByTagNameNS(POM_NS, tag);
        for (int i = 0; i < candidates.getLength(); i++) {
            Element candidate = (Element) candidates.item(i);
            if (direct(candidate, key).getTextContent().strip().equals(value)) {
                return candidate;
            }
        }
        throw new IllegalStateException(ifMissing);
    }

    /** The one descendant element named {@code name}; the pom's shape is this class's contract with the build. */
    private static Element only(Element parent, String name) {
        NodeList found = parent.getElementsByTagNameNS(POM_NS, name);
        if (found.getLength() != 1) {
            throw new IllegalStateException("expected one <" + name + "> under <" + parent.getLocalName() + ">, found "
                    + found.getLength() + ": RecipeRunPom follows the recipe-run profile's layout");
        }
        return (Element) found.item(0);
    }

    /** The first child element named {@code name}. */
    private static Element direct(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new IllegalStateException("no <" + name + "> in <" + parent.getLocalName()
                + ">: RecipeRunPom follows the recipe-run profile's layout");
    }

    private static Element child(Element parent, String name) {
        Element child = parent.getOwnerDocument().createElementNS(POM_NS, name);
        parent.appendChild(child);
        return child;
    }

    private static void text(Element parent, String name, String value) {
        child(parent, name).setTextContent(value);
    }

    private static Element argument(Document pom, String value) {
        Element argument = pom.createElementNS(POM_NS, "argument");
        argument.setTextContent(value);
        return argument;
    }
}

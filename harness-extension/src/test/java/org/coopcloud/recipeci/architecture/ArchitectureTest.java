package org.coopcloud.recipeci.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.junit.RecipeExtension;
import org.junit.jupiter.api.Test;

/**
 * The layers of {@code docs/architecture.md}, read from the compiled classes: no package imports a package of a higher
 * layer, and no packages import each other in a loop. The one edge up is the door itself: {@link Tier} and
 * {@link RecipeTest} name the extension in {@code @ExtendWith}, as JUnit's own annotations do.
 */
class ArchitectureTest {
    static final String ROOT = "org.coopcloud.recipeci";

    /** Top first. A package may use its own layer and the layers below it. */
    static final List<List<String>> LAYERS = List.of(
            List.of("launcher", "tiers"),
            List.of("internal.junit"),
            List.of("internal.run"),
            List.of("internal.deploy.swarm", "internal.deploy.abra"),
            List.of("internal.deploy.docker"),
            List.of("internal.deploy"),
            List.of(
                    "internal.lock",
                    "internal.recipe",
                    "internal.recipe.lint",
                    "internal.report",
                    "internal.report.gitea"),
            List.of(
                    "internal.log",
                    "internal.secret",
                    "internal.process",
                    "internal.lifetime",
                    "internal.wait",
                    "internal.os",
                    "internal.jvm",
                    "internal.config",
                    "internal.text"),
            List.of(""));

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    private static final JavaClasses LOOP = new ClassFileImporter().importPackages(ROOT + ".architecture.loop");

    @Test
    void everyPackageIsInALayer() {
        List<String> unplaced = MAIN.stream()
                .map(JavaClass::getPackageName)
                .distinct()
                .filter(p -> layerOf(p) < 0)
                .sorted()
                .toList();
        assertThat(unplaced)
                .as("packages missing from ArchitectureTest.LAYERS (and docs/architecture.md)")
                .isEmpty();
    }

    @Test
    void noPackageUsesAHigherLayer() {
        layersPointDown().check(MAIN);
    }

    @Test
    void noPackagesImportEachOtherInALoop() {
        noLoops().check(MAIN);
    }

    @Test
    void aLoopMadeOnPurposeIsCaught() {
        EvaluationResult result = noLoops().evaluate(LOOP);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("loop.up", "loop.down");
    }

    @Test
    void aDependencyUpwardsMadeOnPurposeIsCaught() throws ClassNotFoundException {
        JavaClasses breach = new ClassFileImporter().importClasses(Class.forName(ROOT + ".internal.os.LayerBreach"));
        EvaluationResult result = layersPointDown().evaluate(breach);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("'internal.os' uses 'internal.junit'");
    }

    /** A package path (lowercase segments, any top level: java, org, jnr, net, ...) ending in a type. */
    static final Pattern INLINE_NAME = Pattern.compile("(?<![\\w.])[a-z]\\w*\\.([a-z]\\w*\\.)+[A-Z]\\w*");

    @Test
    void anInlineNameIsCaughtWhateverItsTopLevelPackage() {
        assertThat(List.of(
                        "POSIX posix = jnr.posix.POSIXFactory.getNativePOSIX();",
                        "List<String> all = new java.util.ArrayList<>();",
                        "throw new org.opentest4j.TestAbortedException(why);",
                        "(net.example.Thing) value"))
                .allMatch(line -> INLINE_NAME.matcher(line).find());
        assertThat(List.of(
                        "setup.log().info(domain + \": ready\");",
                        "case UPGRADE -> operations.upgrade(plan.underTest(), plan.profile());",
                        "static final String GENERIC_TIERS = \"org.coopcloud.recipeci.tiers\";",
                        "ExtensionContext.StoreScope.LAUNCHER_SESSION"))
                .noneMatch(line -> INLINE_NAME.matcher(line).find());
    }

    @Test
    void mainCodeNamesTypesByImportNotInline() throws IOException {
        Pattern inline = INLINE_NAME;
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> found = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(ArchitectureTest::codeLines)
                    .filter(line -> inline.matcher(line).find())
                    .toList();
            assertThat(found)
                    .as("inline fully-qualified names: import the type instead")
                    .isEmpty();
        }
    }

    /** Code lines of a source file as {@code file: line}, without package, import and comment lines. */
    private static Stream<String> codeLines(Path file) {
        try {
            String name = file.getFileName().toString();
            return Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(l -> !l.startsWith("import ") && !l.startsWith("package "))
                    .filter(l -> !l.startsWith("*") && !l.startsWith("/*") && !l.startsWith("//"))
                    .map(l -> name + ": " + l);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ArchRule noLoops() {
        SliceAssignment byPackage = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                return javaClass.getPackageName().startsWith(ROOT)
                        ? SliceIdentifier.of(javaClass.getPackageName())
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the packages of recipe-ci";
            }
        };
        return SlicesRuleDefinition.slices()
                .assignedFrom(byPackage)
                .should()
                .beFreeOfCycles()
                .ignoreDependency(Tier.class, RecipeExtension.class)
                .ignoreDependency(RecipeTest.class, RecipeExtension.class);
    }

    static ArchRule layersPointDown() {
        return ArchRuleDefinition.classes()
                .that(inRecipeCi())
                .should(new ArchCondition<JavaClass>("use only their own layer and the layers below") {
                    @Override
                    public void check(JavaClass origin, ConditionEvents events) {
                        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                            JavaClass target = dependency.getTargetClass();
                            if (!target.getPackageName().startsWith(ROOT) || door(origin, target)) {
                                continue;
                            }
                            String from = relative(origin.getPackageName());
                            String to = relative(target.getPackageName());
                            if (layerOf(to) < layerOf(from)) {
                                events.add(SimpleConditionEvent.violated(
                                        dependency,
                                        "'" + from + "' uses '" + to + "', a higher layer: "
                                                + dependency.getDescription()));
                            }
                        }
                    }
                });
    }

    /** The {@code @ExtendWith} of the public annotations: the one dependency that points up, by design. */
    private static boolean door(JavaClass origin, JavaClass target) {
        return (origin.isEquivalentTo(Tier.class) || origin.isEquivalentTo(RecipeTest.class))
                && target.isEquivalentTo(RecipeExtension.class);
    }

    private static DescribedPredicate<JavaClass> inRecipeCi() {
        return DescribedPredicate.describe(
                "recipe-ci classes",
                c -> c.getPackageName().startsWith(ROOT) && !c.getPackageName().contains(".architecture"));
    }

    static String relative(String pkg) {
        return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
    }

    /** The index of the layer of {@code pkg} (relative or absolute), 0 at the top; -1 when it is in none. */
    static int layerOf(String pkg) {
        String rel = pkg.startsWith(ROOT) ? relative(pkg) : pkg;
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(rel)) {
                return i;
            }
        }
        return -1;
    }
}
